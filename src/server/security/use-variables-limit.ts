/**
 * Limits on the variables of a request, checked before anything reads them.
 */
import type { Plugin } from 'graphql-yoga'
import { refused, SecurityErrorCode } from './errors.ts'
import { hardeningDefaults } from './options.ts'

/** Options of `useVariablesLimit`. */
export interface VariablesLimitOptions {
  /**
   * Most levels of lists and objects inside the variables.
   * @default 16
   */
  readonly maxVariablesDepth?: number
  /**
   * Most values (scalars, lists and objects, counted together).
   * @default 10000
   */
  readonly maxVariablesValues?: number
}

/**
 * Refuse variables nested deeper than `maxVariablesDepth` levels of lists and
 * objects, or holding more than `maxVariablesValues` values, before anything
 * else reads them: the response cache's key and graphql-js's coercion walk
 * variables recursively, and 10,000 levels overflow the stack (a 500 per
 * request).
 *
 * Hand-written: neither yoga nor GraphQL Armor limits variables. The walk
 * here uses its own stack, so it cannot overflow, and stops at the first
 * value past a limit.
 *
 * @param options
 *   The limits.
 * @returns
 *   A plugin that refuses with `VARIABLES_LIMIT`.
 */
export function useVariablesLimit(options: VariablesLimitOptions = {}): Plugin {
  const {
    maxVariablesDepth: maxDepth = hardeningDefaults.maxVariablesDepth,
    maxVariablesValues: maxValues = hardeningDefaults.maxVariablesValues,
  } = options
  return {
    onParams({ params }) {
      const variables: unknown = params.variables
      if (variables === null || typeof variables !== 'object') return
      const refuse = (message: string, limit: number) => {
        throw refused(SecurityErrorCode.variablesLimit, message, limit)
      }
      const stack: [unknown, number][] = [[variables, 0]]
      let count = 0
      while (stack.length > 0) {
        const [value, depth] = stack.pop() as [unknown, number]
        if (++count > maxValues) {
          refuse(`The variables hold more than ${maxValues} values: send fewer`, maxValues)
        }
        if (value === null || typeof value !== 'object') continue
        if (depth > maxDepth) {
          refuse(`The variables nest more than ${maxDepth} levels deep`, maxDepth)
        }
        for (const item of Object.values(value)) stack.push([item, depth + 1])
      }
    },
  }
}
