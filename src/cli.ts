import { parseArgs } from 'node:util'
import { runCheck } from './cli/check.ts'

const usage = `Usage: content-graph <command> [options]

Commands:
  check [dir]             List content problems as path:line:column; exit 1 on errors
  help                    Show this help

Options:
  -h, --help              Show this help
`

/**
 * Run the command line.
 *
 * @param argv
 *   Arguments after the program name.
 * @returns
 *   Exit code.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv
  switch (command) {
    case 'check': {
      const { positionals, values } = parseArgs({
        args: [...rest],
        allowPositionals: true,
        options: { content: { type: 'string', short: 'c' } },
      })
      const dir = positionals[0] ?? values.content ?? process.env.CONTENT_DIR ?? 'content'
      const result = await runCheck(dir, (line) => process.stdout.write(`${line}\n`))
      return result.exitCode
    }
    case undefined:
    case 'help':
    case '-h':
    case '--help':
      process.stdout.write(usage)
      return command === undefined ? 1 : 0
    default:
      process.stderr.write(`content-graph: unknown command "${command}"\n\n${usage}`)
      return 2
  }
}

process.exitCode = await main(process.argv.slice(2))
