/**
 * A failure the CLI reports as one line on stderr (never a stack trace). Exit codes: 2 for bad input (usage,
 * options, files, payloads), 1 for a check that failed (a signature that does not match, a deployment that
 * does not conform, a peer that cannot be reached).
 */
export class CliError extends Error {
  override name = "CliError";
  constructor(
    message: string,
    readonly exitCode: number = 2,
  ) {
    super(message);
  }
}

/** Bad input: exit 2. */
export const usage = (message: string): CliError => new CliError(message, 2);

/** A failed check or call: exit 1. */
export const failure = (message: string): CliError => new CliError(message, 1);

/** The message of anything thrown, on one line. */
export function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\s*\r?\n\s*/g, " ").trim();
}
