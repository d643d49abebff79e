/** The exit codes of `genauth-mfa`. */
export const EXIT = { DONE: 0, SOME_FAILED: 1, USAGE: 2, INTERRUPTED: 130 } as const;

/** An error that ends the command with this exit code and message. */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** A command-line mistake: the message, then the usage, exit code 2. */
export class UsageError extends Error {}
