/**
 * Worker thread entry (internal): reads posts with the catalog it was
 * started with, through the same entry point as the main thread: from text
 * already read, or from the disk.
 */
import { workerData } from 'node:worker_threads'
import { createCatalog } from '../catalog/catalog.ts'
import type { ReadingDefaults } from '../extract/post.ts'
import { readPostSafely } from '../extract/read-safely.ts'
import type { PackedResult } from '../extract/records.ts'
import type { CatalogEntryInput } from '../model/catalog.ts'
import type { ExtractTask } from './extract-pool.ts'
import { readContentFile } from './files.ts'
import { serveTasks } from './worker-tasks.ts'

const data = workerData as { catalog: CatalogEntryInput[]; defaults?: ReadingDefaults }
const warmUp = `---
title: Warm-up
date: 2024-01-01
tags: [a, b]
---

# Warm-up

## 1. A talk (Speaker)

- a note about \`Spark\` and Kubernetes
  - a nested note

> a quote

| a | b |
| - | - |
| 1 | 2 |
`
const options = { catalog: createCatalog(data.catalog), defaults: data.defaults ?? {} }

// Read a small post once before taking files: a file's time budget should
// pay for reading it, not for compiling the reader on first use.
readPostSafely({ path: 'warm-up.md', text: warmUp }, options)

serveTasks<ExtractTask, PackedResult>(async (task) => {
  if ('text' in task) return readPostSafely(task, options)
  // A save in watch mode: read from the disk here too, so that the thread
  // answering requests waits for one message, not for each step of a read.
  const read = await readContentFile(task.file, task.maxFileBytes)
  if (read.problem) return { post: undefined, problems: [read.problem] }
  return readPostSafely({ path: task.file.path, text: read.text }, options)
})
