import { readFileSync } from 'node:fs'
import { buildSchema, isEnumType } from 'graphql'
import { load as parse } from 'js-yaml'
import { describe, expect, it } from 'vitest'
import { typeDefs } from '../../src/api/schema.ts'
import { TechnologyCategory } from '../../src/model/categories.ts'
import { Severity } from '../../src/model/problems.ts'
import { BulletKind, MentionKind } from '../../src/model/types.ts'

// The enums the model defines, each keyed by the schema's names.
const modelEnums: Record<string, Readonly<Record<string, string>>> = {
  BulletKind,
  MentionKind,
  Severity,
  TechnologyCategory,
}

const codegen = parse(readFileSync(new URL('../../codegen.yml', import.meta.url), 'utf8')) as {
  generates: Record<string, { config?: { enumValues?: Record<string, unknown> } }>
}
const enumValues = codegen.generates['src/generated/graphql.ts']?.config?.enumValues ?? {}
const schema = buildSchema(typeDefs)

describe.each(Object.entries(modelEnums))('the model enum %s', (name, table) => {
  it('should be what codegen.yml maps the schema enum to', () => {
    expect(enumValues[name]).toEqual(table)
  })

  it('should name every value of the schema enum, and no other', () => {
    const type = schema.getType(name)
    expect(isEnumType(type) && type.getValues().map((value) => value.name)).toEqual(
      Object.keys(table),
    )
  })
})
