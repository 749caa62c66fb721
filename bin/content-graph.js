#!/usr/bin/env node
// Which code runs:
// - In a checkout (`src/` beside this folder and tsx installed, as after
//   `npm ci`), the TypeScript sources run through tsx, so the command always
//   runs the code as it stands and never a stale `dist/`.
// - Installed as a package (no `src/` is published) or without tsx (as after
//   `npm ci --omit=dev`), the compiled `dist/` runs on plain Node.
import { existsSync } from 'node:fs'

const sources = new URL('../src/cli.ts', import.meta.url)

/** Whether tsx can be loaded from here (a dev dependency). */
function hasTsx() {
  try {
    import.meta.resolve('tsx/esm/api')
    return true
  } catch {
    return false
  }
}

if (existsSync(sources) && hasTsx()) {
  const { register } = await import('tsx/esm/api')
  register()
  await import(sources.href)
} else if (existsSync(new URL('../dist/cli.js', import.meta.url))) {
  await import('../dist/cli.js')
} else {
  process.stderr.write('content-graph: dist/ is missing: run `npm run build` first\n')
  process.exitCode = 1
}
