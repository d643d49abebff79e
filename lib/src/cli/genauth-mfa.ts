import { AUDIT_USAGE, parseAuditArgs } from './audit-args.js';
import { CommandError, EXIT, UsageError } from './command-exit.js';

const USAGE = `usage: genauth-mfa <command> [flags]

commands:
  audit    who has bound which MFA factor, over the whole user pool (genauth-mfa audit --help)`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h') {
    console.log(USAGE);
    return command === undefined ? EXIT.USAGE : EXIT.DONE;
  }
  if (command !== 'audit') throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  const args = parseAuditArgs(rest, process.env);
  if (args === 'help') {
    console.log(AUDIT_USAGE);
    return EXIT.DONE;
  }
  // Nest and the library are loaded only for a run: --help and a usage error start in a few milliseconds.
  const { runAudit } = await import('./audit-command.js');
  return runAudit(args);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    const usage =
      error instanceof UsageError || String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`genauth-mfa: ${error.message}\n`);
    if (usage) process.stderr.write(`${AUDIT_USAGE}\n`);
    process.exit(usage ? EXIT.USAGE : error instanceof CommandError ? error.exitCode : EXIT.SOME_FAILED);
  },
);
