/**
 * The one entry point from a file's text to its result, shared by every
 * thread that reads posts: the main thread, the worker threads of a cold
 * start, and watch mode (which reads in those workers). Keeping the checks
 * that come before the reader here, in one place, is what makes a file read
 * the same wherever it is read; and as this module sits with the reader, the
 * cache's reader version (a hash of `src/extract/` among others) changes with
 * it, so a result cached by an older rule is never served.
 */
import { ProblemCode, problem, type Severity } from '../model/problems.ts'
import { type ContentFile, type ExtractOptions, readPost } from './post.ts'
import type { PackedResult } from './records.ts'

/**
 * Read one file's text into its packed result. Never throws: an empty file
 * (or one of only white space) is a warning and no post, and a failure of the
 * reader is an error naming the file, so one post never takes the others down.
 *
 * @param file
 *   The file's relative path and its text, already read and checked as text.
 * @param options
 *   Catalog and folder-wide reading settings.
 * @returns
 *   The packed post, if any, and the problems found.
 */
export function readPostSafely(file: ContentFile, options: ExtractOptions): PackedResult {
  if (file.text.trim() === '') {
    return only(file, 'warning', ProblemCode.emptyFile, 'File is empty; no post was made from it')
  }
  try {
    return readPost(file, options)
  } catch (error) {
    // A bug in the reader must not take the other posts down.
    const message = error instanceof Error ? error.message : String(error)
    return only(file, 'error', ProblemCode.readFailed, `Could not read post: ${message}`)
  }
}

function only(
  file: ContentFile,
  severity: Severity,
  code: ProblemCode,
  message: string,
): PackedResult {
  return { post: undefined, problems: [problem({ path: file.path }, severity, code, message)] }
}
