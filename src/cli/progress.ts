/**
 * A one-line progress bar for a terminal, redrawn in place at most every
 * `intervalMs`, so reading thousands of files does not flood the output.
 *
 * @param stream
 *   Where to draw: a TTY stream (nothing is drawn elsewhere).
 * @param label
 *   What is counted, such as `posts`.
 * @param intervalMs
 *   Least time between redraws.
 * @returns
 *   `update(done, total)` to call as work goes, and `done()` to clear the line.
 */
export function createProgressBar(
  stream: NodeJS.WriteStream,
  label: string,
  intervalMs = 100,
): { update(done: number, total: number): void; done(): void } {
  let last = 0
  let drawn = false
  const width = 30
  return {
    update(done, total) {
      const now = Date.now()
      if (!stream.isTTY || (now - last < intervalMs && done < total)) return
      last = now
      const filled = total === 0 ? width : Math.round((done / total) * width)
      const percent = total === 0 ? 100 : Math.floor((done / total) * 100)
      stream.write(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent}% ${done}/${total} ${label}`,
      )
      drawn = true
    },
    done() {
      if (drawn && stream.isTTY) stream.write('\r\x1b[2K')
      drawn = false
    },
  }
}
