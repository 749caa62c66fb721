/**
 * The program's own name and version, from the manifest two folders up from
 * both `src/` and `dist/` (so the same code reads it from a checkout and an
 * installed package).
 */
import { readFileSync } from 'node:fs'

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  readonly version: string
}

/**
 * The version of this program, such as `0.1.0`: what `--version` prints, what
 * a snapshot file is checked against, and the salt of ETags (new code may
 * render the same content differently).
 */
export const programVersion: string = manifest.version
