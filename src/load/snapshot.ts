/**
 * Snapshot files: a content folder read once and written down, so that any
 * number of servers can start from it without reading Markdown.
 *
 * A snapshot holds what linking needs: the catalog's entries, each file's
 * result in the packed form the worker threads and the cache already use
 * (`PackedResult`), and the problems of the folder itself. Loading rebuilds
 * the graph by linking, which is cheap beside parsing, and gives the very
 * graph a cold read gives: same nodes, same problems, same version.
 *
 * Layout: a first line naming the format, a JSON header line (format number,
 * program version, counts, graph version), then records, each a 4-byte
 * big-endian length and a `node:v8` serialization (the catalog and folder
 * problems first, then one record per file in path order). Records keep each
 * buffer small, so a snapshot of any size is written and read piece by piece,
 * never as one buffer (Node refuses a single read over 2 GiB).
 *
 * Hand-written rather than a library: it is a sequence of `node:v8` records,
 * the serializer the cache uses for the same data, framed by a length.
 */
import { open, rename, rm } from 'node:fs/promises'
import { deserialize, serialize } from 'node:v8'
import { createCatalog } from '../catalog/catalog.ts'
import type { PackedResult } from '../extract/records.ts'
import { unpackResult } from '../extract/records.ts'
import type { ContentGraph } from '../graph/content-graph.ts'
import type { CatalogEntryInput } from '../model/catalog.ts'
import type { Problem } from '../model/problems.ts'
import { programVersion } from '../program.ts'
import { type LoadOptions, linkResults, readContentFolder } from './content.ts'

/** First line of every snapshot file. */
const magic = 'content-graph snapshot'

/** Version of the layout above; a change to it or to `PackedResult` bumps it. */
export const snapshotFormat = 2

/** The header line of a snapshot file. */
export interface SnapshotHeader {
  readonly format: number
  /** Version of the program that wrote it; only the same version reads it. */
  readonly program: string
  /** Version of the graph it holds: the base of every replica's ETags. */
  readonly graphVersion: string
  readonly files: number
  /** Whether draft posts are in the graph (`build --drafts`). */
  readonly drafts: boolean
  readonly posts: number
  readonly problems: number
}

/** What `writeSnapshot` wrote. */
export interface WrittenSnapshot {
  readonly header: SnapshotHeader
  readonly graph: ContentGraph
  readonly bytes: number
}

/** A snapshot loaded into a graph. */
export interface LoadedSnapshot {
  readonly header: SnapshotHeader
  readonly graph: ContentGraph
}

/** The first record: what is not one file's result. */
interface SnapshotBase {
  readonly catalogEntries: readonly CatalogEntryInput[]
  readonly folderProblems: readonly Problem[]
}

/**
 * Read a content folder and write it to a snapshot file. The file is written
 * beside its final name and renamed, so a server never reads half of one.
 *
 * @param file
 *   Snapshot file to write.
 * @param options
 *   How to read the folder (workers, cache, limits).
 * @returns
 *   The header written, the graph, and the file's size.
 */
export async function writeSnapshot(
  file: string,
  options: Omit<LoadOptions, 'keepPacked'>,
): Promise<WrittenSnapshot> {
  const read = await readContentFolder({ ...options, keepPacked: true })
  const packed = read.packed ?? new Map<string, PackedResult>()
  const drafts = options.drafts ?? false
  const graph = linkResults(read.results.values(), read.catalog, read.folderProblems, { drafts })
  const header: SnapshotHeader = {
    format: snapshotFormat,
    program: programVersion,
    graphVersion: graph.version,
    files: packed.size,
    drafts,
    posts: graph.stats.posts,
    problems: graph.stats.problems,
  }
  const temporary = `${file}.${process.pid}.tmp`
  const handle = await open(temporary, 'w')
  let bytes = 0
  try {
    const write = async (buffer: Buffer) => {
      await handle.write(buffer)
      bytes += buffer.length
    }
    const record = async (value: unknown) => {
      const body = serialize(value)
      const length = Buffer.alloc(4)
      length.writeUInt32BE(body.length)
      await write(Buffer.concat([length, body]))
    }
    await write(Buffer.from(`${magic}\n${JSON.stringify(header)}\n`, 'utf8'))
    await record({
      catalogEntries: read.catalogEntries,
      folderProblems: read.folderProblems,
    } satisfies SnapshotBase)
    for (const result of packed.values()) await record(result)
  } catch (error) {
    await handle.close()
    await rm(temporary, { force: true })
    throw error
  }
  await handle.close()
  await rename(temporary, file)
  return { header, graph, bytes }
}

/**
 * Load a snapshot file into a graph, without reading any Markdown.
 *
 * @param file
 *   Snapshot file from `writeSnapshot` (`content-graph build`).
 * @returns
 *   Its header and graph.
 * @throws
 *   When the file is not a snapshot, is cut short, or was written by another
 *   version of the program (the message says which, and how to rebuild).
 */
export async function loadSnapshot(file: string): Promise<LoadedSnapshot> {
  const handle = await open(file, 'r')
  try {
    const reader = createReader(handle)
    const first = await reader.line()
    if (first !== magic) throw new Error(`${file} is not a content-graph snapshot`)
    const header = JSON.parse((await reader.line()) ?? 'null') as SnapshotHeader | null
    if (header === null || typeof header !== 'object') {
      throw new Error(`${file} has no snapshot header`)
    }
    if (header.program !== programVersion || header.format !== snapshotFormat) {
      throw new Error(
        `${file} was written by content-graph ${header.program} (snapshot format ${header.format}); this is ${programVersion} (format ${snapshotFormat}): rebuild it with \`content-graph build --out ${file}\``,
      )
    }
    const base = (await reader.record()) as SnapshotBase | undefined
    if (!base) throw new Error(`${file} is cut short: no catalog`)
    const results = []
    for (let index = 0; index < header.files; index++) {
      const packed = (await reader.record()) as PackedResult | undefined
      if (!packed) throw new Error(`${file} is cut short: ${index} of ${header.files} files`)
      results.push(unpackResult(packed))
    }
    const graph = linkResults(results, createCatalog(base.catalogEntries), base.folderProblems, {
      drafts: header.drafts,
    })
    if (graph.version !== header.graphVersion) {
      throw new Error(`${file} does not give the graph it was written from`)
    }
    return { header, graph }
  } finally {
    await handle.close()
  }
}

/** Reads lines and length-framed records from a file, a chunk at a time. */
function createReader(handle: import('node:fs/promises').FileHandle) {
  const chunkBytes = 4 * 1024 * 1024
  let buffer = Buffer.alloc(0)
  let position = 0
  let ended = false
  /** Have at least `bytes` buffered, unless the file ends first. */
  const fill = async (bytes: number) => {
    while (buffer.length < bytes && !ended) {
      const chunk = Buffer.allocUnsafe(Math.max(chunkBytes, bytes - buffer.length))
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, position)
      if (bytesRead === 0) ended = true
      position += bytesRead
      buffer =
        buffer.length === 0
          ? chunk.subarray(0, bytesRead)
          : Buffer.concat([buffer, chunk.subarray(0, bytesRead)])
    }
    return buffer.length >= bytes
  }
  return {
    async line(): Promise<string | undefined> {
      // Header lines are short: look within the first chunk.
      await fill(1)
      const end = buffer.indexOf(10)
      if (end === -1) return undefined
      const text = buffer.subarray(0, end).toString('utf8')
      buffer = buffer.subarray(end + 1)
      return text
    },
    async record(): Promise<unknown> {
      if (!(await fill(4))) return undefined
      const length = buffer.readUInt32BE(0)
      if (!(await fill(4 + length))) return undefined
      const value = deserialize(buffer.subarray(4, 4 + length))
      buffer = buffer.subarray(4 + length)
      return value
    },
  }
}
