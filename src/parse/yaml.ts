/**
 * YAML settings files (`technologies.yml`, `content-graph.yml`) read with
 * js-yaml, the parser that also reads front matter, together with where each
 * item of a list and each key of a mapping starts, so a problem with one
 * entry can name its line.
 *
 * js-yaml gives no syntax tree, but it reports each node it composes as it
 * opens and closes; the places are taken from those reports. See
 * docs/decisions.md for why js-yaml is the one YAML parser.
 */
import yaml from 'js-yaml'

/** A 1-based line and column in the file. */
export interface YamlPlace {
  readonly line: number
  readonly column: number
}

/** A YAML file read into plain values. */
export interface YamlDocument {
  /** The document's value (`undefined` for an empty file). */
  readonly value: unknown
  /**
   * Where each item of a list of this document starts.
   *
   * @param list
   *   An array taken from `value`.
   * @returns
   *   The places, by index (empty for an array not from this document).
   */
  placesIn(list: readonly unknown[]): readonly YamlPlace[]
  /**
   * The keys of a mapping of this document and where each starts, in the
   * order written (an object's own key order puts number-like keys first).
   *
   * @param mapping
   *   An object taken from `value`.
   * @returns
   *   The keys with their places (empty for an object not from this document).
   */
  keysIn(mapping: object): readonly YamlKey[]
}

/** A key of a mapping, and where it is written. */
export interface YamlKey extends YamlPlace {
  readonly key: string
}

/** A YAML syntax error, at the place the parser stopped. */
export interface YamlSyntaxError extends YamlPlace {
  /** What is wrong, as js-yaml says it (`bad indentation of a mapping entry`). */
  readonly reason: string
}

/** A node as js-yaml composed it: where it starts, its value and its parts. */
interface Composed {
  readonly place: YamlPlace
  readonly value: unknown
  readonly parts: Composed[]
}

/** The part of js-yaml's parser state a listener reads. */
interface ListenerState {
  readonly position: number
  readonly line: number
  readonly lineStart: number
  readonly result: unknown
}

/**
 * Read YAML text with the core schema (as front matter is read: timestamps
 * stay text); a key written twice is an error.
 *
 * @param text
 *   File text.
 * @returns
 *   The document, or the syntax error that stopped the parser.
 */
export function parseYaml(text: string): YamlDocument | YamlSyntaxError {
  const frames: { place: YamlPlace; parts: Composed[] }[] = [{ place: start, parts: [] }]
  let value: unknown
  try {
    value = yaml.load(text, {
      schema: yaml.CORE_SCHEMA,
      listener(event: 'open' | 'close', state: ListenerState) {
        if (event === 'open') {
          const place = { line: state.line + 1, column: state.position - state.lineStart + 1 }
          frames.push({ place, parts: [] })
          return
        }
        const frame = frames.pop()
        if (frame) frames.at(-1)?.parts.push({ ...frame, value: state.result })
      },
    })
  } catch (error) {
    if (!(error instanceof yaml.YAMLException)) throw error
    return { reason: error.reason, line: error.mark.line + 1, column: error.mark.column + 1 }
  }
  const roots = frames[0]?.parts ?? []
  return {
    value,
    placesIn(list) {
      return (innermost(roots, list)?.parts ?? []).map((part) => part.place)
    },
    keysIn(mapping) {
      // A mapping's parts are its keys and values, in turn.
      const parts = innermost(roots, mapping)?.parts ?? []
      return parts
        .filter((_, index) => index % 2 === 0)
        .map((part) => ({ key: String(part.value), ...part.place }))
    },
  }
}

/** Tell a syntax error from a document. */
export function isYamlSyntaxError(
  result: YamlDocument | YamlSyntaxError,
): result is YamlSyntaxError {
  return 'reason' in result
}

const start: YamlPlace = { line: 1, column: 1 }

/**
 * The deepest node whose value is the collection: js-yaml reports a flow
 * collection (`[a, b]`) once more around itself, and only the inner report
 * holds its parts.
 */
function innermost(nodes: readonly Composed[], collection: object): Composed | undefined {
  for (const node of nodes) {
    const inner = innermost(node.parts, collection)
    if (inner) return inner
    if (node.value === collection) return node
  }
  return undefined
}
