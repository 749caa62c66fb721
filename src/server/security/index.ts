/**
 * Hardening of the GraphQL endpoint against hostile and oversized requests:
 * limits on query depth, aliases, directives, tokens and cost, an execution
 * time budget, CSRF prevention, introspection and field suggestions, and the
 * body-size and batching settings of yoga. `SECURITY.md` lists every limit,
 * its default and how to change it.
 *
 * One plugin per file, each a `useX(options)` factory. The checks come from
 * maintained libraries where one does the job (GraphQL Armor, yoga and its
 * plugins, graphql-js's own rules); the few written here say why at their
 * definition. This file only puts them in order.
 */
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection'
import type { Plugin } from 'graphql-yoga'
import { type HardeningOptions, resolveHardening } from './options.ts'
import { useArmor } from './use-armor.ts'
import { useBodySizeLimit } from './use-body-size-limit.ts'
import { useCostLimit } from './use-cost-limit.ts'
import { useCsrfPreventionForPost } from './use-csrf-prevention-for-post.ts'
import { useExecutionTimeout } from './use-execution-timeout.ts'
import { useHiddenSuggestions } from './use-hidden-suggestions.ts'
import { useScrubbedRequestErrors } from './use-scrubbed-request-errors.ts'
import { useVariablesLimit } from './use-variables-limit.ts'

export { SecurityErrorCode } from './errors.ts'
export { assumedListSize, type CostOptions, operationCost } from './operation-cost.ts'
export {
  defaultIntrospection,
  type HardeningOptions,
  hardeningDefaults,
  hardeningYogaOptions,
  type ResolvedHardening,
  resolveHardening,
} from './options.ts'
export { type ArmorOptions, useArmor } from './use-armor.ts'
export { type BodySizeLimitOptions, useBodySizeLimit } from './use-body-size-limit.ts'
export { type CostLimitOptions, useCostLimit } from './use-cost-limit.ts'
export {
  type CsrfPreventionForPostOptions,
  csrfHeaders,
  useCsrfPreventionForPost,
} from './use-csrf-prevention-for-post.ts'
export { type ExecutionTimeoutOptions, useExecutionTimeout } from './use-execution-timeout.ts'
export { useHiddenSuggestions } from './use-hidden-suggestions.ts'
export { useScrubbedRequestErrors } from './use-scrubbed-request-errors.ts'
export { useVariablesLimit, type VariablesLimitOptions } from './use-variables-limit.ts'

/**
 * The hardening plugins of the GraphQL endpoint, to spread into yoga's
 * `plugins` list (before any response cache, so that a stored response is
 * never served for a request that these would refuse).
 *
 * @param options
 *   Limits and switches; see `HardeningOptions` for the defaults.
 * @returns
 *   Yoga plugins.
 */
export function useHardening(options: HardeningOptions = {}): Plugin[] {
  const settings = resolveHardening(options)
  const plugins: Plugin[] = [
    useScrubbedRequestErrors(),
    useBodySizeLimit(settings),
    useVariablesLimit(settings),
  ]
  if (settings.csrfPrevention) plugins.push(useCsrfPreventionForPost())
  if (!settings.introspection) {
    plugins.push(useDisableIntrospection(), useHiddenSuggestions())
  }
  plugins.push(
    ...useArmor({ ...settings, blockFieldSuggestion: !settings.introspection }),
    useCostLimit(settings),
  )
  if (settings.executionTimeoutMs > 0) plugins.push(useExecutionTimeout(settings))
  return plugins
}
