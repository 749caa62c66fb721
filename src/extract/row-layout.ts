/**
 * A row of numbers in a packed column (`PackedPost.bullets`, `.mentions`),
 * written and read by field name.
 *
 * The packed form keeps each bullet and mention as a fixed number of integers
 * in one `Int32Array`. Written as positional pushes, adding a field in one
 * place silently shifts every field after it in the other; here the order is
 * written once, writers must name every field (a missing one fails to
 * compile), and readers ask by name.
 */
export interface RowLayout<Name extends string> {
  /** The fields, in the order they are packed. */
  readonly names: readonly Name[]
  /** Numbers per row. */
  readonly width: number
  /** Where each field sits in a row. */
  readonly offset: Readonly<Record<Name, number>>
  /**
   * Append one row to a growing list of numbers.
   *
   * @param target
   *   The numbers so far (whole rows).
   * @param row
   *   A value for every field.
   */
  push(target: number[], row: Readonly<Record<Name, number>>): void
  /**
   * Read one field of one row.
   *
   * @param columns
   *   Packed rows.
   * @param index
   *   Row index.
   * @param name
   *   Field to read.
   * @returns
   *   The number stored there.
   */
  get(columns: Int32Array, index: number, name: Name): number
  /**
   * How many rows a packed column holds.
   *
   * @param columns
   *   Packed rows.
   * @returns
   *   The row count.
   */
  rows(columns: Int32Array | readonly number[]): number
}

/**
 * Define a row layout from its field names in packing order.
 *
 * @param names
 *   Field names; their order is the packed order.
 * @returns
 *   The layout, with writers and readers by name.
 */
export function rowLayout<const Name extends string>(names: readonly Name[]): RowLayout<Name> {
  const offset = {} as Record<Name, number>
  names.forEach((name, index) => {
    offset[name] = index
  })
  const width = names.length
  return {
    names,
    width,
    offset,
    push(target, row) {
      for (const name of names) target.push(row[name])
    },
    get(columns, index, name) {
      return columns[index * width + offset[name]] as number
    },
    rows(columns) {
      return columns.length / width
    },
  }
}
