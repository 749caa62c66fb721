/**
 * The cost limit: refuse an operation whose response could hold too many
 * values, counted with its variables just before it runs.
 */
import { type DocumentNode, GraphQLError, type GraphQLSchema } from 'graphql'
import type { Plugin } from 'graphql-yoga'
import { refused, SecurityErrorCode } from './errors.ts'
import { operationCost } from './operation-cost.ts'
import { hardeningDefaults } from './options.ts'

/** Options of `useCostLimit`. */
export interface CostLimitOptions {
  /**
   * Highest cost allowed: the most values a response may hold (see
   * `operationCost`).
   * @default 50000
   */
  readonly maxCost?: number
}

/**
 * Refuse an operation whose response could hold more than `maxCost` values.
 *
 * Hand-written: GraphQL Armor's cost limit runs at validation, before the
 * variables are known, so `first: $n` counts 1 and a connection without
 * `first` (a page of 20) counts 1 too; and it multiplies by 1.5 per level,
 * which has nothing to do with the work. graphql-query-complexity knows the
 * variables, but a field's estimate sees only its own arguments, so the page
 * size of a connection cannot multiply its `nodes` without multiplying its
 * `totalCount` too (`docs/decisions.md`). This counts at execution, with the
 * variables, what the response can hold at most (see `operationCost`).
 *
 * @param options
 *   The limit.
 * @returns
 *   A plugin that stops execution with `COST_LIMIT` beyond it.
 */
export function useCostLimit(options: CostLimitOptions = {}): Plugin {
  const { maxCost = hardeningDefaults.maxCost } = options
  const check = ({
    args,
    setResultAndStopExecution,
  }: {
    args: {
      schema: GraphQLSchema
      document: DocumentNode
      operationName?: string | null | undefined
      variableValues?: { readonly [name: string]: unknown } | null | undefined
    }
    setResultAndStopExecution: (result: { errors: GraphQLError[] }) => void
  }) => {
    let cost: number
    try {
      cost = operationCost(args.schema, args.document, {
        operationName: args.operationName,
        variables: args.variableValues,
        stopAbove: maxCost,
      })
    } catch (error) {
      // A page out of range; anything else is a bug, for yoga to mask.
      if (!(error instanceof GraphQLError)) throw error
      setResultAndStopExecution({ errors: [error] })
      return
    }
    if (cost > maxCost) {
      setResultAndStopExecution({
        errors: [
          refused(
            SecurityErrorCode.costLimit,
            `The query could return more than ${maxCost} values: ask for smaller pages (first/last) or fewer nested lists`,
            maxCost,
          ),
        ],
      })
    }
  }
  return { onExecute: check, onSubscribe: check }
}
