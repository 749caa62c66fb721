/**
 * The limits as the command line reads them: flags, environment variables
 * and defaults.
 */
import { describe, expect, it } from 'vitest'
import { limitFlags, readLimits } from '../../src/cli/limits.ts'
import { timeoutDefaults } from '../../src/server/listen.ts'
import { hardeningDefaults, resolveHardening } from '../../src/server/security/index.ts'

describe('limits from flags and environment variables', () => {
  it('should read every limit from its flag, else from its variable', () => {
    expect(
      readLimits({ 'max-depth': '5', 'shutdown-timeout': '1000' }, { MAX_COST: '900' }),
    ).toEqual({ options: { maxDepth: 5, maxCost: 900, shutdownTimeoutMs: 1000 } })
    // The flag wins over the variable.
    expect(readLimits({ 'max-cost': '10' }, { MAX_COST: '900' })).toEqual({
      options: { maxCost: 10 },
    })
    const all = Object.fromEntries(Object.keys(limitFlags).map((flag) => [flag, '7']))
    expect(Object.values((readLimits(all, {}) as { options: object }).options)).toEqual(
      Object.keys(limitFlags).map(() => 7),
    )
  })

  it('should refuse a value that is not a whole number, naming the flag and variable', () => {
    expect(readLimits({ 'max-depth': 'ten' }, {})).toEqual({
      error: '--max-depth (MAX_DEPTH) must be a whole number, got "ten"',
    })
    expect(readLimits({}, { EXECUTION_TIMEOUT_MS: '-1' })).toEqual({
      error: '--execution-timeout (EXECUTION_TIMEOUT_MS) must be a whole number, got "-1"',
    })
  })

  it('should turn introspection off or on by flag, and leave it to the environment otherwise', () => {
    expect(readLimits({ 'no-introspection': true }, {})).toEqual({
      options: { introspection: false },
    })
    expect(readLimits({ introspection: true }, {})).toEqual({ options: { introspection: true } })
    expect(readLimits({}, {})).toEqual({ options: {} })
  })

  it('should leave every limit at its documented default', () => {
    expect(resolveHardening({ introspection: true })).toEqual({
      introspection: true,
      maxDepth: 10,
      maxAliases: 15,
      maxDirectives: 50,
      maxTokens: 1000,
      maxCost: 50_000,
      executionTimeoutMs: 5000,
      maxBodyBytes: 1_000_000,
      maxVariablesDepth: 16,
      maxVariablesValues: 10_000,
      batching: false,
      csrfPrevention: true,
    })
    expect(hardeningDefaults.maxDepth).toBe(10)
    expect(timeoutDefaults).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5000,
      shutdownTimeoutMs: 8000,
    })
  })
})
