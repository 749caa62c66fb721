import { isUtf8 } from 'node:buffer'
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import { problem as newProblem, type Problem, ProblemCode } from '../model/problems.ts'

/** A Markdown file found under the content folder. */
export interface FoundFile {
  readonly absolutePath: string
  /** Path relative to the content folder, with `/` separators. */
  readonly path: string
  /**
   * Real path (`realpath`) of the content folder: the file is read only when
   * its own real path lies inside it, so a symbolic link (or a file swapped
   * for one after listing) never reads anything outside the folder.
   */
  readonly root: string
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
 * order. Follows symbolic links that stay inside the folder, reports those
 * that lead outside it (`outside-content-root`) without reading them, and
 * reports loops instead of following them forever; unreadable folders are
 * reported, not fatal.
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
  let rootReal = root
  const relative = (absolute: string) => path.relative(root, absolute).split(path.sep).join('/')
  const report = (absolute: string, code: ProblemCode, message: string) =>
    problems.push(newProblem({ path: relative(absolute) || '.' }, 'error', code, message))

  const walk = async (folder: string, ancestors: ReadonlySet<string>) => {
    let real: string
    let entries: import('node:fs').Dirent[]
    try {
      real = await realpath(folder)
      entries = await readdir(folder, { withFileTypes: true })
    } catch (error) {
      report(
        folder,
        ProblemCode.unreadableFolder,
        `Cannot read folder: ${errorMessage(error, root)}`,
      )
      return
    }
    if (ancestors.has(real)) {
      const back = path.relative(rootReal, real).split(path.sep).join('/')
      report(folder, ProblemCode.symlinkLoop, `Symbolic link loop: leads back to ${back || '.'}`)
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
          // Only links the walk would follow: a folder, or a Markdown file.
          if (!isDirectory && !(isFile && markdownFile.test(entry.name))) continue
          if (!isInside(rootReal, await realpath(absolute))) {
            report(absolute, ProblemCode.outsideContentRoot, outsideMessage)
            continue
          }
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code
          if (code === 'ELOOP') {
            report(
              absolute,
              ProblemCode.symlinkLoop,
              'Symbolic link loop: the link leads to itself',
            )
          } else {
            report(
              absolute,
              ProblemCode.brokenLink,
              `Broken symbolic link: ${errorMessage(error, root)}`,
            )
          }
          continue
        }
      }
      if (isDirectory) await walk(absolute, inside)
      else if (isFile && markdownFile.test(entry.name)) {
        files.push({ absolutePath: absolute, path: relative(absolute), root: rootReal })
      } else if (isFile && mdxFile.test(entry.name)) {
        problems.push(
          newProblem(
            { path: relative(absolute) },
            'warning',
            ProblemCode.mdxNotRead,
            'MDX file not read: only .md and .markdown files are (rename it if it is plain Markdown)',
          ),
        )
      }
    }
  }

  try {
    const info = await lstat(root)
    if (!info.isDirectory() && !(await stat(root)).isDirectory()) {
      throw new Error('not a folder')
    }
    rootReal = await realpath(root)
  } catch (error) {
    // The folder's own path is the operator's to know, not the clients':
    // problems name it `.`, as every other path is relative to it.
    problems.push(
      newProblem(
        { path: '.' },
        'error',
        ProblemCode.unreadableFolder,
        `Cannot read content folder: ${errorMessage(error, root)}`,
      ),
    )
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
  const problem = (code: ProblemCode, message: string): ReadResult => ({
    problem: newProblem({ path: file.path }, 'error', code, message),
  })
  let buffer: Buffer
  try {
    // Read through the real path, checked first: a file swapped for a link
    // after it was listed is refused, not followed out of the folder.
    const real = await realpath(file.absolutePath)
    if (!isInside(file.root, real)) return problem(ProblemCode.outsideContentRoot, outsideMessage)
    buffer = await readFile(real)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ELOOP') {
      return problem(ProblemCode.symlinkLoop, 'Symbolic link loop: the link leads to itself')
    }
    return problem(
      code === 'ENOENT' ? ProblemCode.fileVanished : ProblemCode.unreadableFile,
      `Cannot read file: ${errorMessage(error, path.dirname(file.absolutePath))}`,
    )
  }
  if (buffer.length > maxBytes) {
    return problem(
      ProblemCode.fileTooLarge,
      `File is ${buffer.length} bytes, over the limit of ${maxBytes} bytes (maxFileBytes)`,
    )
  }
  if (buffer.subarray(0, 8192).includes(0)) {
    return problem(
      ProblemCode.binaryFile,
      'File looks binary (it holds NUL bytes), not Markdown text',
    )
  }
  const text = buffer.toString('utf8')
  if (!isUtf8(buffer)) {
    // The first replacement character marks the first invalid sequence (a
    // file holding both a literal U+FFFD and invalid bytes is the exception).
    const { line, column } = positionOf(text, Math.max(0, text.indexOf('\uFFFD')))
    return {
      problem: newProblem(
        { path: file.path, line, column },
        'error',
        ProblemCode.binaryFile,
        'File is not UTF-8 text (an invalid byte sequence here): binary, or another encoding',
      ),
    }
  }
  if (tooManyControls(text)) {
    return problem(
      ProblemCode.binaryFile,
      'File looks binary (it is full of control characters), not Markdown text',
    )
  }
  return { text }
}

/**
 * Whether more than 1% of a text's characters (and at least 8) are control
 * characters other than tab, line feed, form feed and carriage return: no
 * Markdown is, and the parser would spend seconds on a binary file that
 * happens to be valid UTF-8 without NUL bytes.
 */
function tooManyControls(text: string): boolean {
  const allowed = Math.max(8, text.length / 100)
  let count = 0
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (
      (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0c && code !== 0x0d) ||
      code === 0x7f
    ) {
      if (++count > allowed) return true
    }
  }
  return false
}

/** Line and column (1-based, in UTF-16 units as the parser counts) of an offset. */
function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1
  let start = 0
  for (
    let index = text.indexOf('\n');
    index !== -1 && index < offset;
    index = text.indexOf('\n', index + 1)
  ) {
    line++
    start = index + 1
  }
  return { line, column: offset - start + 1 }
}

const outsideMessage =
  'Symbolic link leads outside the content folder; only files inside it are read'

/**
 * Whether a real path lies inside a real folder (or is the folder).
 *
 * @param root
 *   Real path of the folder.
 * @param real
 *   Real path to check.
 * @returns
 *   Whether `real` is `root` or below it.
 */
export function isInside(root: string, real: string): boolean {
  if (real === root) return true
  return real.startsWith(root.endsWith(path.sep) ? root : `${root}${path.sep}`)
}

/**
 * The message of a file system error without the paths it names: Node puts
 * the absolute path in the message (`ENOENT: no such file or directory, stat
 * '/srv/…'`), and only paths relative to the content folder leave the server.
 */
function errorMessage(error: unknown, base: string): string {
  if (!(error instanceof Error)) return String(error)
  const { code, syscall } = error as NodeJS.ErrnoException
  if (!code) return error.message
  // `CODE: description, syscall 'path' -> 'dest'`: keep the first two parts.
  const description = error.message
    .replace(/^\w+: /, '')
    .replace(/, \w+ '.*$/s, '')
    .split(base)
    .join('.')
  return `${code}: ${description}${syscall ? ` (${syscall})` : ''}`
}
