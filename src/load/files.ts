import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import type { Problem } from '../graph/model.ts'

/** A Markdown file found under the content folder. */
export interface FoundFile {
  readonly absolutePath: string
  /** Path relative to the content folder, with `/` separators. */
  readonly path: string
}

/** Options for `listContentFiles`. */
export interface ListOptions {
  /**
   * Folder and file names to skip.
   * @default ['node_modules', '.git'] and every name starting with `.`
   */
  readonly ignore?: readonly string[]
}

const markdownFile = /\.(md|markdown)$/i

/** MDX mixes Markdown with JSX, which this reader does not run: reported, not read. */
const mdxFile = /\.mdx$/i

/**
 * List every `.md` and `.markdown` file under a folder, recursively, in path
 * order. Follows symbolic links but reports loops instead of following them
 * forever; unreadable folders are reported, not fatal.
 *
 * @param root
 *   Content folder.
 * @param options
 *   Names to skip.
 * @returns
 *   The files and the problems met while listing.
 */
export async function listContentFiles(
  root: string,
  options: ListOptions = {},
): Promise<{ files: FoundFile[]; problems: Problem[] }> {
  const ignore = new Set(options.ignore ?? ['node_modules', '.git'])
  const files: FoundFile[] = []
  const problems: Problem[] = []
  const relative = (absolute: string) => path.relative(root, absolute).split(path.sep).join('/')
  const report = (absolute: string, code: string, message: string) =>
    problems.push({
      path: relative(absolute) || '.',
      line: 1,
      column: 1,
      severity: 'error',
      code,
      message,
    })

  const walk = async (folder: string, ancestors: ReadonlySet<string>) => {
    let real: string
    let entries: import('node:fs').Dirent[]
    try {
      real = await realpath(folder)
      entries = await readdir(folder, { withFileTypes: true })
    } catch (error) {
      report(folder, 'unreadable-folder', `Cannot read folder: ${errorMessage(error)}`)
      return
    }
    if (ancestors.has(real)) {
      report(folder, 'symlink-loop', `Symbolic link loop: leads back to ${relative(real) || '.'}`)
      return
    }
    const inside = new Set(ancestors).add(real)
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const entry of entries) {
      if (entry.name.startsWith('.') || ignore.has(entry.name)) continue
      const absolute = path.join(folder, entry.name)
      let isDirectory = entry.isDirectory()
      let isFile = entry.isFile()
      if (entry.isSymbolicLink()) {
        try {
          const target = await stat(absolute)
          isDirectory = target.isDirectory()
          isFile = target.isFile()
        } catch (error) {
          report(absolute, 'broken-link', `Broken symbolic link: ${errorMessage(error)}`)
          continue
        }
      }
      if (isDirectory) await walk(absolute, inside)
      else if (isFile && markdownFile.test(entry.name)) {
        files.push({ absolutePath: absolute, path: relative(absolute) })
      } else if (isFile && mdxFile.test(entry.name)) {
        problems.push({
          path: relative(absolute),
          line: 1,
          column: 1,
          severity: 'warning',
          code: 'mdx-not-read',
          message:
            'MDX file not read: only .md and .markdown files are (rename it if it is plain Markdown)',
        })
      }
    }
  }

  try {
    const info = await lstat(root)
    if (!info.isDirectory() && !(await stat(root)).isDirectory()) {
      throw new Error('not a folder')
    }
  } catch (error) {
    problems.push({
      path: root,
      line: 1,
      column: 1,
      severity: 'error',
      code: 'unreadable-folder',
      message: `Cannot read content folder: ${errorMessage(error)}`,
    })
    return { files, problems }
  }
  await walk(root, new Set())
  return { files, problems }
}

/** A file's text, or the problem that kept it from being read. */
export type ReadResult =
  | { text: string; problem?: undefined }
  | { text?: undefined; problem: Problem }

/**
 * Read a content file as UTF-8 text. Binary files (with NUL bytes) and files
 * that vanish or cannot be read give a problem instead.
 *
 * @param file
 *   File to read.
 * @param maxBytes
 *   Files larger than this are refused.
 * @returns
 *   The text, or a problem.
 */
export async function readContentFile(file: FoundFile, maxBytes: number): Promise<ReadResult> {
  const problem = (code: string, message: string): ReadResult => ({
    problem: { path: file.path, line: 1, column: 1, severity: 'error', code, message },
  })
  let buffer: Buffer
  try {
    buffer = await readFile(file.absolutePath)
  } catch (error) {
    const code =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file-vanished' : 'unreadable-file'
    return problem(code, `Cannot read file: ${errorMessage(error)}`)
  }
  if (buffer.length > maxBytes) {
    return problem(
      'file-too-large',
      `File is ${buffer.length} bytes, over the limit of ${maxBytes} bytes (maxFileBytes)`,
    )
  }
  if (buffer.subarray(0, 8192).includes(0)) {
    return problem('binary-file', 'File looks binary (it holds NUL bytes), not Markdown text')
  }
  return { text: buffer.toString('utf8') }
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code
    return code ? `${code}: ${error.message.replace(/^\w+: /, '')}` : error.message
  }
  return String(error)
}
