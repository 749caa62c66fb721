import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { type CodegenConfig, generate } from '@graphql-codegen/cli'
import { load } from 'js-yaml'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../', import.meta.url))
const read = (file: string) => readFileSync(path.join(root, file), 'utf8')
// Both files hold codegen's settings (graphql.config.yml a subset of them).
const parse = (text: string) => load(text) as CodegenConfig

describe('generated code', () => {
  it('should match what `npm run codegen` generates now (run it when this fails)', async () => {
    const config = parse(read('codegen.yml'))
    // Same config, output kept in memory instead of written: nothing in the
    // tree changes, and the comparison is with the files as committed.
    const outputs: { filename: string; content: string }[] = await generate(
      { ...config, cwd: root, silent: true },
      false,
    )
    expect(outputs.map((output) => output.filename).sort()).toEqual([
      'examples/generated/gql.ts',
      'examples/generated/graphql.ts',
      'examples/generated/index.ts',
      'examples/generated/persisted-documents.json',
      'src/generated/graphql.ts',
    ])
    for (const output of outputs) {
      expect(read(output.filename), `${output.filename} is stale`).toBe(output.content)
    }
    // A file codegen no longer writes would linger and still be imported.
    const written = new Set(outputs.map((output) => path.basename(output.filename)))
    expect(
      readdirSync(path.join(root, 'examples/generated')).filter((name) => !written.has(name)),
    ).toEqual([])
    expect(readdirSync(path.join(root, 'src/generated'))).toEqual(['graphql.ts'])
  }, 60_000)

  it('should find the schema and documents where graphql.config.yml says', () => {
    const codegen = parse(read('codegen.yml'))
    const editors = parse(read('graphql.config.yml'))
    expect(editors.schema).toEqual(codegen.schema)
    expect(editors.documents).toEqual(codegen.documents)
  })
})
