import { constants, existsSync, realpathSync } from 'node:fs'
import { access, realpath, stat } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { type FSWatcher, watch } from 'chokidar'
import type { ExtractResult } from '../extract/post.ts'
import type { ContentGraph } from '../graph/content-graph.ts'
import { catalogFileNames } from '../load/catalog-file.ts'
import { configFileNames } from '../load/config-file.ts'
import {
  defaultMaxFileBytes,
  type FolderRead,
  fileReader,
  type LoadOptions,
  linkResults,
  readContentFolder,
  shownPost,
} from '../load/content.ts'
import { createExtractPool, type ExtractPool } from '../load/extract-pool.ts'
import { isInside } from '../load/files.ts'
import type { Catalog } from '../model/catalog.ts'
import { type Problem, ProblemCode, problem } from '../model/problems.ts'

/** What one update changed, published after the new snapshot is served. */
export interface ContentChange {
  /** Version of the new snapshot. */
  readonly version: string
  /** Paths of posts that appeared. */
  readonly added: readonly string[]
  /** Paths of posts whose content changed. */
  readonly changed: readonly string[]
  /** Paths of posts that are gone. */
  readonly removed: readonly string[]
  /** Problems in the files this update read (empty when they are clean). */
  readonly problems: readonly Problem[]
  /** Time from the first file event of the update to the new snapshot. */
  readonly durationMs: number
}

/** Options for `watchContent`. */
export interface WatchOptions extends LoadOptions {
  /**
   * Quiet time after a file event before updating, so a burst of saves
   * (an editor writing several files, a `git checkout`) makes one update.
   * @default 40
   */
  readonly debounceMs?: number
  /**
   * Longest time the first of a run of file events waits for its update while
   * more events keep coming.
   * @default 250
   */
  readonly maxDelayMs?: number
  /** Called with each new snapshot and what changed. */
  readonly onChange?: (graph: ContentGraph, change: ContentChange) => void
  /**
   * How often to look for what file events do not tell: the folder itself
   * replaced or gone, and links to outside the folder removed.
   * @default 500
   */
  readonly checkIntervalMs?: number
  /**
   * Called when the content folder disappears (`false`) or is back (`true`),
   * the same or another folder at its path; the content is read again either way.
   */
  readonly onFolder?: (present: boolean) => void
  /** Called when the watcher itself fails (the last good snapshot stays served). */
  readonly onError?: (error: unknown) => void
}

/** How far the watcher is behind the folder (see `LiveContent.backlog`). */
export interface UpdateBacklog {
  /** Files saved and waiting to be read, counted once however often saved. */
  readonly waiting: number
  /** Files being read now (at most twice the worker count). */
  readonly reading: number
}

/** Content that follows its folder. */
export interface LiveContent {
  /** The current snapshot. */
  readonly graph: ContentGraph
  /** Listen to changes; returns a function that stops listening. */
  subscribe(listener: (graph: ContentGraph, change: ContentChange) => void): () => void
  /** Whether the content folder exists now (see `WatchOptions.onFolder`). */
  readonly folderPresent: boolean
  /**
   * Saves not yet served: files waiting to be read (one entry per file,
   * however often it was saved) and files being read now.
   */
  backlog(): UpdateBacklog
  /** Settles once every update started so far has been served. */
  settled(): Promise<void>
  /** Stop watching. */
  close(): Promise<void>
}

/**
 * Read a content folder and keep following it: every create, edit, delete or
 * rename re-reads only the files it touched, relinks, and swaps in a new
 * immutable snapshot, so queries never see half an update. A save that breaks
 * a post keeps that post's last good version (with the problem reported) until
 * it is fixed. A change to the catalog or settings file re-reads the whole folder.
 *
 * @param options
 *   Folder, limits and callbacks.
 * @returns
 *   The live content, once the first snapshot is read and the watcher is ready.
 */
export async function watchContent(options: WatchOptions): Promise<LiveContent> {
  const contentDir = path.resolve(options.contentDir)
  const debounceMs = options.debounceMs ?? 40
  const maxDelayMs = Math.max(debounceMs, options.maxDelayMs ?? 250)
  const maxFileBytes = options.maxFileBytes ?? defaultMaxFileBytes
  const listeners = new Set<(graph: ContentGraph, change: ContentChange) => void>()
  if (options.onChange) listeners.add(options.onChange)

  // Which folder is watched (device and inode), or undefined while it is missing.
  let identity = await folderIdentity(contentDir)
  let folder = await readContentFolder(options)
  // Saves are read in worker threads, within the time budget of
  // `parseTimeoutMs`, so that reading never competes with answering requests
  // on this thread, and a large or pathological post cannot stall it. With
  // `workers: 0` they are read here, as everything else is then.
  const workers = options.workers ?? defaultWatchWorkers()
  let pool: ExtractPool | undefined
  const startPool = () =>
    workers > 0
      ? createExtractPool({
          size: workers,
          catalog: folder.catalogEntries,
          defaults: folder.defaults,
          ...(options.parseTimeoutMs === undefined ? {} : { timeoutMs: options.parseTimeoutMs }),
        })
      : undefined
  pool = startPool()
  let poolKey = readingKey(folder)
  // Files read at once: enough to keep every worker busy (the pool sends a
  // few ahead to each), and no more; the rest wait, one entry per file.
  const readLimit = Math.max(1, workers) * 2
  // Files of the running update not yet being read, and those being read.
  let waitingInUpdate = new Set<string>()
  let reading = 0
  // Real path of the folder: files whose real path lies outside it are not read.
  let root = await realpath(contentDir).catch(() => contentDir)
  let catalog: Catalog = folder.catalog
  let results = new Map(folder.results)
  // The last version of each post that read without errors.
  const lastGood = new Map<string, ExtractResult>()
  for (const [file, result] of results) if (result.post) lastGood.set(file, result)
  // Drafts are in `results` either way; whether the graph shows them is
  // decided once, so every update agrees with the first snapshot.
  const drafts = options.drafts ?? false
  let graph = linkResults(results.values(), catalog, folder.folderProblems, { drafts })

  const pending = new Map<string, 'add' | 'change' | 'unlink' | 'unlinkDir'>()
  let reloadAll = false
  let firstEventAt = 0
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> = Promise.resolve()

  const relative = (absolute: string) =>
    path.relative(contentDir, absolute).split(path.sep).join('/')

  const schedule = () => {
    const now = performance.now()
    if (firstEventAt === 0) firstEventAt = now
    if (timer) {
      // Saves that never pause (a tool rewriting files nonstop) would
      // otherwise put the update off forever: past `maxDelayMs` the timer
      // set is kept, and the update starts with what has come by then.
      if (now - firstEventAt >= maxDelayMs) return
      clearTimeout(timer)
    }
    timer = setTimeout(() => {
      timer = undefined
      running = running.then(update).catch((error: unknown) => options.onError?.(error))
    }, debounceMs)
  }

  const update = async () => {
    const started = firstEventAt || performance.now()
    firstEventAt = 0
    const events = new Map(pending)
    pending.clear()
    const wholeFolder = reloadAll
    reloadAll = false
    const before = graph
    // Results change in place (copying them would cost every post on every
    // save); the result each changed path had before is kept to describe it.
    let beforeResults: ReadonlyMap<string, ExtractResult | undefined> = results
    const touched: Problem[] = []
    const paths = new Set<string>()

    if (wholeFolder) {
      root = await realpath(contentDir).catch(() => contentDir)
      folder = await readContentFolder({ ...options, contentDir })
      // The workers read with the catalog and settings they were started
      // with: replaced when those changed (a `technologies.yml` edit), kept
      // otherwise (a folder swapped, a link added), so that the next save
      // does not wait for new workers to start.
      if (readingKey(folder) !== poolKey) {
        await pool?.close()
        pool = startPool()
        poolKey = readingKey(folder)
      }
      catalog = folder.catalog
      results = new Map(folder.results)
      lastGood.clear()
      for (const [file, result] of results) if (result.post) lastGood.set(file, result)
    } else {
      const next = results
      const previous = new Map<string, ExtractResult | undefined>()
      beforeResults = previous
      const remember = (file: string) => {
        if (!previous.has(file)) previous.set(file, next.get(file))
      }
      const toRead: string[] = []
      for (const [file, event] of events) {
        if (event === 'unlinkDir') {
          for (const known of next.keys()) {
            if (known.startsWith(`${file}/`)) {
              paths.add(known)
              remember(known)
              next.delete(known)
              lastGood.delete(known)
            }
          }
          continue
        }
        paths.add(file)
        remember(file)
        if (event === 'unlink') {
          next.delete(file)
          lastGood.delete(file)
          continue
        }
        toRead.push(file)
      }
      // Read the saved files a few at a time (in the workers, when there
      // are any): as many as keep every worker busy, and no more, so that a
      // burst of saves waits here, one entry per file, not in the pool.
      const read = await readFiles(toRead)
      for (const file of toRead) {
        const result = read.get(file) as ExtractResult
        if (result.problems.some((problem) => problem.code === ProblemCode.fileVanished)) {
          next.delete(file)
          lastGood.delete(file)
          continue
        }
        touched.push(...result.problems)
        next.set(file, keepLastGood(file, result, lastGood))
      }
    }

    graph = linkResults(results.values(), catalog, folder.folderProblems, {
      drafts,
      ...(wholeFolder ? {} : { previous: { graph: before, changed: paths } }),
    })
    verifyLater([...events.keys()])
    const change = wholeFolder
      ? describe(before, graph, touched, performance.now() - started)
      : describePaths(
          paths,
          beforeResults,
          results,
          drafts,
          graph,
          touched,
          performance.now() - started,
        )
    // A save that changed nothing (a touch, an editor rewriting the same text)
    // is not news; a broken save always is, even when saved twice.
    const broken = touched.some((problem) => problem.severity === 'error')
    if (before.version === graph.version && !broken && !wholeFolder) return
    for (const listener of listeners) listener(graph, change)
  }

  /** Read files from the disk and their posts, `readLimit` at a time. */
  const readFiles = async (files: readonly string[]): Promise<Map<string, ExtractResult>> => {
    const read = new Map<string, ExtractResult>()
    const reader = fileReader({ catalog, defaults: folder.defaults, pool, maxFileBytes })
    waitingInUpdate = new Set(files)
    let next = 0
    const work = async () => {
      while (next < files.length) {
        const file = files[next++] as string
        waitingInUpdate.delete(file)
        reading++
        try {
          const absolutePath = path.join(contentDir, file)
          // The size and time are asked first (the worker starts reading
          // only once the message reaches it), without a wait of their own.
          const [before, result] = await Promise.all([
            signature(absolutePath),
            reader({ absolutePath, path: file, root }),
          ])
          seen.set(file, before)
          read.set(file, result)
        } finally {
          reading--
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(readLimit, files.length) }, work))
    return read
  }

  // File watchers throttle events, so a second save right after a first can go
  // unreported. Shortly after each update, files it read are checked again and
  // re-read if they changed since.
  const seen = new Map<string, string>()
  let verifyTimer: NodeJS.Timeout | undefined
  const verifyLater = (files: readonly string[]) => {
    if (verifyTimer) clearTimeout(verifyTimer)
    verifyTimer = setTimeout(async () => {
      verifyTimer = undefined
      for (const file of files) {
        const before = seen.get(file)
        if (before === undefined) continue
        if ((await signature(path.join(contentDir, file))) !== before) {
          pending.set(file, 'change')
          schedule()
        }
      }
    }, verifyDelayMs)
  }

  // Links that lead outside the folder, which the watcher does not follow.
  const outsideLinks = new Set<string>()
  let watching = false
  const startWatcher = async (): Promise<FSWatcher> => {
    const started: FSWatcher = watch(contentDir, {
      ignoreInitial: true,
      ignored: (file) => {
        if (file === contentDir) return false
        const name = path.basename(file)
        if (name.startsWith('.') || name === 'node_modules') return true
        // Never watch what a symbolic link leads to outside the folder (a link to
        // `/` would walk the whole disk). The watcher then says nothing of the
        // link itself: a new one (or one gone, see `checkFolder`) re-reads the
        // folder, whose listing reports it.
        const real = realPathOf(file)
        if (real === undefined || isInside(root, real)) return false
        if (!outsideLinks.has(file)) {
          outsideLinks.add(file)
          if (watching) {
            reloadAll = true
            schedule()
          }
        }
        return true
      },
    })
    started.on('add', onFile('add'))
    started.on('change', onFile('change'))
    started.on('unlink', onFile('unlink'))
    started.on('unlinkDir', (absolute: string) => {
      // The watcher calls a folder it may no longer read removed.
      if (existsSync(absolute)) {
        checkAccess(absolute).catch((error: unknown) => options.onError?.(error))
        return
      }
      pending.set(relative(absolute), 'unlinkDir')
      schedule()
    })
    started.on('raw', (event: string, name: string, details: unknown) => {
      // Permissions changed (`chmod`): the watcher reports no event, since the
      // text did not change; the raw event of the file system tells.
      const watched = (details as { watchedPath?: string } | undefined)?.watchedPath
      if (event !== 'change' || !watched) return
      const absolute = name && path.basename(watched) !== name ? path.join(watched, name) : watched
      checkAccess(absolute).catch((error: unknown) => options.onError?.(error))
    })
    started.on('error', (error) => options.onError?.(error))
    await new Promise<void>((resolve) => started.once('ready', () => resolve()))
    return started
  }
  const onFile = (event: 'add' | 'change' | 'unlink') => (absolute: string) => {
    const file = relative(absolute)
    if (catalogFileNames.includes(file) || configFileNames.includes(file)) {
      reloadAll = true
      schedule()
      return
    }
    if (!/\.(md|markdown)$/i.test(file)) return
    // The watcher calls a file it may no longer read (`chmod 000`) removed:
    // reading it again reports it and keeps its last good version.
    pending.set(file, event === 'unlink' && existsSync(absolute) ? 'change' : event)
    schedule()
  }
  let watcher = await startWatcher()
  watching = true
  // The first save must not wait for the workers' start-up.
  await pool?.started

  const restartWatcher = async () => {
    watching = false
    await watcher.close()
    outsideLinks.clear()
    if (identity !== undefined) watcher = await startWatcher()
    watching = true
  }

  // Whether a file or folder became readable or unreadable: an unreadable
  // post keeps its last good version (reported `unreadable-file`), and a
  // folder is read again, by a new watcher too (the old one lost it).
  const unreadableFolders = () =>
    new Set(
      folder.folderProblems
        .filter((problem) => problem.code === ProblemCode.unreadableFolder)
        .map((problem) => problem.path),
    )
  const checkAccess = async (absolute: string) => {
    const file = relative(absolute)
    if (file === '' || file.startsWith('..')) return
    const info = await stat(absolute).catch(() => undefined)
    if (!info) return
    if (info.isDirectory()) {
      const readable = await canRead(absolute, constants.R_OK | constants.X_OK)
      if (readable !== unreadableFolders().has(file)) return
      await restartWatcher()
      reloadAll = true
      schedule()
      return
    }
    if (!/\.(md|markdown)$/i.test(file)) return
    const readable = await canRead(absolute, constants.R_OK)
    const marked = results
      .get(file)
      ?.problems.some((problem) => problem.code === ProblemCode.unreadableFile)
    if (readable === Boolean(marked)) {
      pending.set(file, 'change')
      schedule()
    }
  }

  // What file events do not tell, looked at every `checkIntervalMs`: the
  // folder itself gone, back, or swapped for another (`mv new content`, as
  // deploy scripts and `git checkout` of a parent do), which leaves the
  // watcher on a folder no longer there; folders that were unreadable and are
  // readable again; and links to outside the folder that are gone (the
  // watcher ignores them).
  const checkFolder = async () => {
    const now = await folderIdentity(contentDir)
    if (now !== identity) {
      identity = now
      options.onFolder?.(now !== undefined)
      await restartWatcher()
      reloadAll = true
      schedule()
      return
    }
    // Folders that could not be read: the watcher cannot watch them either.
    for (const unreadable of unreadableFolders()) {
      if (unreadable === '.') continue
      if (await canRead(path.join(contentDir, unreadable), constants.R_OK | constants.X_OK)) {
        await restartWatcher()
        reloadAll = true
        schedule()
        return
      }
    }
    for (const link of outsideLinks) {
      const real = await realpath(link).catch(() => undefined)
      if (real === undefined || isInside(root, real)) {
        outsideLinks.delete(link)
        reloadAll = true
        schedule()
      }
    }
  }
  let checking = false
  const checkTimer = setInterval(() => {
    if (checking) return
    checking = true
    checkFolder()
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        checking = false
      })
  }, options.checkIntervalMs ?? 500)
  checkTimer.unref()

  return {
    get graph() {
      return graph
    },
    get folderPresent() {
      return identity !== undefined
    },
    backlog() {
      return { waiting: new Set([...pending.keys(), ...waitingInUpdate]).size, reading }
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async settled() {
      while (timer || verifyTimer || pending.size > 0) {
        await new Promise((resolve) => setTimeout(resolve, debounceMs))
      }
      await running
    },
    async close() {
      clearInterval(checkTimer)
      if (timer) clearTimeout(timer)
      if (verifyTimer) clearTimeout(verifyTimer)
      await watcher.close()
      await running
      await pool?.close()
    },
  }
}

/** What the workers read with: the catalog's version and the folder-wide settings. */
function readingKey(folder: FolderRead): string {
  return `${folder.catalog.version}:${JSON.stringify(folder.defaults)}`
}

/**
 * Worker threads that read saves when `workers` is not given: one per core
 * but one, left to answer requests (at least one, at most four).
 */
function defaultWatchWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1))
}

/** Whether this process may access a path as asked (`fs.constants.R_OK`, …). */
async function canRead(file: string, mode: number): Promise<boolean> {
  try {
    await access(file, mode)
    return true
  } catch {
    return false
  }
}

/** Device and inode of a folder, or undefined when it is missing (or not a folder). */
async function folderIdentity(folder: string): Promise<string | undefined> {
  try {
    const info = await stat(folder)
    return info.isDirectory() ? `${info.dev}:${info.ino}` : undefined
  } catch {
    return undefined
  }
}

/** The real path of a file, or undefined when it cannot be resolved (gone, a loop). */
function realPathOf(file: string): string | undefined {
  try {
    return realpathSync.native(file)
  } catch {
    return undefined
  }
}

/** How long after an update its files are checked for writes the watcher missed. */
const verifyDelayMs = 120

/** Size and modification time of a file, or `missing`. */
async function signature(file: string): Promise<string> {
  try {
    const info = await stat(file)
    return `${info.size}:${info.mtimeMs}`
  } catch {
    return 'missing'
  }
}

/**
 * A broken save keeps the post's last good version, with the new problems
 * reported and a note that the old version is served.
 */
function keepLastGood(
  file: string,
  result: ExtractResult,
  lastGood: Map<string, ExtractResult>,
): ExtractResult {
  const broken = result.problems.some((problem) => problem.severity === 'error')
  if (result.post && !broken) {
    lastGood.set(file, result)
    return result
  }
  const good = lastGood.get(file)
  if (!good?.post) return result
  return {
    post: good.post,
    problems: [
      ...result.problems,
      problem(
        { path: file },
        'warning',
        ProblemCode.keptLastGood,
        'Serving the last version of this post that read without errors until it is fixed',
      ),
    ],
  }
}

/** What changed, from the paths an update read: no walk over the whole graph. */
function describePaths(
  paths: ReadonlySet<string>,
  before: ReadonlyMap<string, ExtractResult | undefined>,
  after: ReadonlyMap<string, ExtractResult>,
  drafts: boolean,
  graph: ContentGraph,
  problems: readonly Problem[],
  durationMs: number,
): ContentChange {
  const added: string[] = []
  const changed: string[] = []
  const removed: string[] = []
  // A post that became a draft leaves the graph; one that stopped being one joins it.
  const hash = (result: ExtractResult | undefined) =>
    result && shownPost(result, drafts)?.post.contentHash
  for (const file of [...paths].sort()) {
    const old = hash(before.get(file))
    const now = hash(after.get(file))
    if (old === undefined && now !== undefined) added.push(file)
    else if (old !== undefined && now === undefined) removed.push(file)
    else if (old !== now) changed.push(file)
  }
  return { version: graph.version, added, changed, removed, problems, durationMs }
}

function describe(
  before: ContentGraph,
  after: ContentGraph,
  problems: readonly Problem[],
  durationMs: number,
): ContentChange {
  const hashes = (graph: ContentGraph) =>
    new Map(graph.posts.map((post) => [post.source.path, post.contentHash]))
  const old = hashes(before)
  const now = hashes(after)
  const added: string[] = []
  const changed: string[] = []
  const removed: string[] = []
  for (const [file, hash] of now) {
    const previous = old.get(file)
    if (previous === undefined) added.push(file)
    else if (previous !== hash) changed.push(file)
  }
  for (const file of old.keys()) if (!now.has(file)) removed.push(file)
  return { version: after.version, added, changed, removed, problems, durationMs }
}
