/**
 * The problems content can have, each with a stable code: one list that the
 * reader, the loader, watch mode and the graph create problems from, and that
 * callers branch on. README.md ("Problems") says what each one means and how
 * to fix it; a test keeps the two lists equal.
 */

/**
 * How bad a content problem is: errors skip the post, warnings do not. Keyed
 * by the schema's names (codegen's `enumValues` points here).
 */
export const Severity = { ERROR: 'error', WARNING: 'warning' } as const

/** How bad a content problem is: `error` or `warning`. */
export type Severity = (typeof Severity)[keyof typeof Severity]

/** A problem found while reading content, pointing at its file, line and column. */
export interface Problem {
  readonly path: string
  readonly line: number
  readonly column: number
  readonly severity: Severity
  /** A stable machine-readable code, such as `yaml-syntax` or `missing-date`. */
  readonly code: ProblemCode
  readonly message: string
}

/** Every problem code, by name. The values are what `check` and the API show. */
export const ProblemCode = {
  /** The content folder, or a folder inside it, cannot be listed. */
  unreadableFolder: 'unreadable-folder',
  /** A symbolic link leads back to a folder it sits in, or to itself. */
  symlinkLoop: 'symlink-loop',
  /** A symbolic link leads outside the content folder: it is not followed. */
  outsideContentRoot: 'outside-content-root',
  /** A symbolic link points at nothing. */
  brokenLink: 'broken-link',
  /** An `.mdx` file: not read, as only `.md` and `.markdown` are. */
  mdxNotRead: 'mdx-not-read',
  /** A file went away between listing the folder and reading it. */
  fileVanished: 'file-vanished',
  /** A file cannot be read (permissions, I/O). */
  unreadableFile: 'unreadable-file',
  /** A file is over the size limit (`maxFileBytes`). */
  fileTooLarge: 'file-too-large',
  /** A file is binary or not UTF-8 text. */
  binaryFile: 'binary-file',
  /** A file holds nothing but white space: no post. */
  emptyFile: 'empty-file',
  /** Reading took longer than the time limit (`parseTimeoutMs`). */
  parseTimeout: 'parse-timeout',
  /** The reader failed on the post: a fault in the reader, not the content. */
  readFailed: 'read-failed',
  /** The YAML front matter is not valid YAML. */
  yamlSyntax: 'yaml-syntax',
  /** The TOML front matter is not valid TOML. */
  tomlSyntax: 'toml-syntax',
  /** The front matter is valid but not a mapping of keys to values. */
  frontMatterShape: 'front-matter-shape',
  /** Quotes, lists or inline markup nest deeper than the reader follows. */
  nestingTooDeep: 'nesting-too-deep',
  /** No title in the front matter or an H1: the file name is used. */
  missingTitle: 'missing-title',
  /** No date anywhere the reader looks. */
  missingDate: 'missing-date',
  /** A date key holds something that is not a date. */
  invalidDate: 'invalid-date',
  /** The date was read from a date line near the top of the body. */
  dateFromBody: 'date-from-body',
  /** A talk heading with no text. */
  emptyHeading: 'empty-heading',
  /** Two posts share a slug: `post(slug:)` finds the first. */
  duplicateSlug: 'duplicate-slug',
  /** An entry of the user catalog (`technologies.yml`) cannot be read. */
  catalog: 'catalog',
  /** A setting of the folder-wide reading settings (`content-graph.yml`) cannot be read. */
  config: 'config',
  /** Watch mode: an edit broke the post, so its last good version is served. */
  keptLastGood: 'kept-last-good',
} as const

/** A problem code, such as `yaml-syntax` or `missing-date`. */
export type ProblemCode = (typeof ProblemCode)[keyof typeof ProblemCode]

/** Where a problem is: a path relative to the content folder, and a 1-based line and column. */
export interface ProblemPlace {
  readonly path: string
  /** @default 1 */
  readonly line?: number
  /** @default 1 */
  readonly column?: number
}

/**
 * Make a problem. Every problem is made here, so that its code is one of
 * `ProblemCode` and its fields come in one order (as snapshots store them).
 *
 * @param place
 *   File and position; line and column default to 1 (the whole file).
 * @param severity
 *   `error` keeps the post (or file) out; `warning` does not.
 * @param code
 *   What kind of problem it is.
 * @param message
 *   What is wrong and how to fix it, for a person.
 * @returns
 *   The problem.
 */
export function problem(
  place: ProblemPlace,
  severity: Severity,
  code: ProblemCode,
  message: string,
): Problem {
  return {
    path: place.path,
    line: place.line ?? 1,
    column: place.column ?? 1,
    severity,
    code,
    message,
  }
}
