/**
 * Run queries through yoga with their compiled form (`./jit.ts`), and teach
 * the compiled path (`./compiled-path.ts`) the documents yoga has accepted
 * and the headers of its answers.
 */
import type { ExecutionResult } from 'graphql'
import { type GraphQLParams, isPromise, type Plugin } from 'graphql-yoga'
import type { CompiledPath } from './compiled-path.ts'
import {
  type CompiledDocuments,
  type CompiledOperation,
  guardExecution,
  isClean,
  releaseExecution,
} from './jit.ts'

/**
 * Execute queries with their compiled form; anything else, and any run
 * whose result holds an error, with the executor yoga would use.
 *
 * List it before the plugins that wrap execution (the time budget in
 * `useHardening`): they then wrap the compiled execution, and its abort
 * signal reaches the compiled resolvers through the execution guard. A
 * request that a plugin stops before execution (the cost limit) never gets
 * here.
 *
 * @param documents
 *   Store of compiled documents for the served schema.
 * @param path
 *   The compiled path to teach, when it is on.
 * @returns
 *   A yoga plugin.
 */
export function useCompiledExecution(
  documents: CompiledDocuments,
  path?: CompiledPath | undefined,
): Plugin {
  // Requests whose query ran compiled and clean, for `onResponse`.
  const clean = new WeakMap<Request, { params: GraphQLParams; compiled: CompiledOperation }>()
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const compiled = documents.get(args.document, args.operationName)
      if (!compiled) return
      const fallback = executeFn
      setExecuteFn((run) => {
        const signal = (run as { signal?: AbortSignal }).signal
        signal?.throwIfAborted()
        const variables = run.variableValues as Record<string, unknown> | null | undefined
        if (!documents.acceptsVariables(compiled, variables)) return fallback(run)
        const context = run.contextValue as { request?: Request; params?: GraphQLParams }
        if (signal) guardExecution(context, () => signal.throwIfAborted())
        const settle = (result: ExecutionResult) => {
          releaseExecution(context)
          // Stopped by its time budget: the error the executor would throw.
          signal?.throwIfAborted()
          if (!isClean(result)) return fallback(run)
          if (path && context.request && context.params) {
            clean.set(context.request, { params: context.params, compiled })
          }
          return result
        }
        let result: ReturnType<typeof compiled.query>
        try {
          result = compiled.query(run.rootValue, context, variables)
        } catch (error) {
          releaseExecution(context)
          throw error
        }
        return isPromise(result)
          ? result.then(settle, (error: unknown) => {
              releaseExecution(context)
              throw error
            })
          : settle(result)
      })
    },
    onResponse({ request, response, serverContext }) {
      const ran = path && clean.get(request)
      if (!ran || response.status !== 200) return
      // Requests that `listen` handed over carry the Node request.
      const node = (serverContext as { req?: object } | undefined)?.req
      if (node) path.learn(node, ran.params, ran.compiled, response.headers)
    },
  }
}
