/**
 * The command line's flags for the limits of hostile requests and slow
 * clients, read into the options of the server (`HardeningOptions`) and of
 * `listen` (`ServerTimeouts`).
 */
import type { ServerTimeouts } from '../server/listen.ts'
import type { HardeningOptions } from '../server/security/index.ts'

/** Every limit that the command line can set: hardening and HTTP time limits. */
export type LimitOptions = HardeningOptions & ServerTimeouts

/**
 * The command line's flags for limits, each with its option and environment
 * variable (a flag wins over the variable).
 */
export const limitFlags = {
  'max-depth': { option: 'maxDepth', env: 'MAX_DEPTH' },
  'max-aliases': { option: 'maxAliases', env: 'MAX_ALIASES' },
  'max-directives': { option: 'maxDirectives', env: 'MAX_DIRECTIVES' },
  'max-tokens': { option: 'maxTokens', env: 'MAX_TOKENS' },
  'max-cost': { option: 'maxCost', env: 'MAX_COST' },
  'max-body-bytes': { option: 'maxBodyBytes', env: 'MAX_BODY_BYTES' },
  'max-variables-depth': { option: 'maxVariablesDepth', env: 'MAX_VARIABLES_DEPTH' },
  'max-variables-values': { option: 'maxVariablesValues', env: 'MAX_VARIABLES_VALUES' },
  'execution-timeout': { option: 'executionTimeoutMs', env: 'EXECUTION_TIMEOUT_MS' },
  'headers-timeout': { option: 'headersTimeoutMs', env: 'HEADERS_TIMEOUT_MS' },
  'request-timeout': { option: 'requestTimeoutMs', env: 'REQUEST_TIMEOUT_MS' },
  'keep-alive-timeout': { option: 'keepAliveTimeoutMs', env: 'KEEP_ALIVE_TIMEOUT_MS' },
  'shutdown-timeout': { option: 'shutdownTimeoutMs', env: 'SHUTDOWN_TIMEOUT_MS' },
} as const satisfies Record<string, { option: keyof LimitOptions; env: string }>

/** `parseArgs` options for `limitFlags`, plus `--introspection` and `--no-introspection`. */
export const limitArgs = {
  ...(Object.fromEntries(Object.keys(limitFlags).map((flag) => [flag, { type: 'string' }])) as {
    [Flag in keyof typeof limitFlags]: { type: 'string' }
  }),
  introspection: { type: 'boolean' },
  'no-introspection': { type: 'boolean' },
} as const

/**
 * Read the limits given as flags or environment variables.
 *
 * @param values
 *   Values from `parseArgs` with `limitArgs`.
 * @param env
 *   Environment variables (`MAX_DEPTH`, …; `INTROSPECTION` is read by
 *   `defaultIntrospection`).
 * @returns
 *   The options given, or the message of a usage error for a value that is
 *   not a whole number.
 */
export function readLimits(
  values: { readonly [flag: string]: string | boolean | undefined },
  env: NodeJS.ProcessEnv = process.env,
): { options: LimitOptions } | { error: string } {
  const options: Record<string, number | boolean> = {}
  for (const [flag, { option, env: name }] of Object.entries(limitFlags)) {
    const given = values[flag]
    const text = typeof given === 'string' ? given : env[name]
    if (text === undefined || text === '') continue
    if (!/^\d+$/.test(text.trim())) {
      return { error: `--${flag} (${name}) must be a whole number, got "${text}"` }
    }
    options[option] = Number(text)
  }
  if (values['no-introspection']) options.introspection = false
  else if (values.introspection) options.introspection = true
  return { options: options as LimitOptions }
}
