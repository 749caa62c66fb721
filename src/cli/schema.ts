import { printSchema } from 'graphql'
import { createSchema } from '../api/schema.ts'

/**
 * Print the API's schema as SDL: every type once, with `extend type Query`
 * merged in and descriptions kept, for tools that read one SDL file.
 *
 * @param write
 *   Receives the SDL text.
 * @returns
 *   Exit code 0.
 */
export function runSchema(write: (text: string) => void): number {
  write(printSchema(createSchema()))
  return 0
}
