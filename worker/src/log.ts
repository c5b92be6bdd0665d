type Level = "debug" | "info" | "warn" | "error";

/**
 * One JSON line per event (Workers Logs indexes the fields). Callers pass identifiers and outcomes only:
 * never keys, decrypted payloads or patient identifiers.
 */
export function log(level: Level, event: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, event, ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

/** A stack's frames ("    at …" lines) without its first line, which repeats the message. */
const framesOf = (stack: string | undefined): string | undefined =>
  stack
    ?.split("\n")
    .filter((line) => /^\s+at /.test(line))
    .join("\n") || undefined;

/**
 * What a log line says of an unexpected error (a bug): its name, where it was thrown (the stack's frames, which
 * the uploaded source maps make readable), and the names along its `cause` chain. Never its message: a message can
 * quote the input that caused it (JSON.parse quotes the text it failed on), and no payload reaches a log line.
 */
export function errorFields(err: unknown): { error: string; stack?: string; causes?: string[] } {
  if (!(err instanceof Error)) return { error: typeof err };
  const causes: string[] = [];
  for (let c: unknown = err.cause; c !== undefined && causes.length < 5; c = c instanceof Error ? c.cause : undefined)
    causes.push(c instanceof Error ? c.name : typeof c);
  const stack = framesOf(err.stack);
  return { error: err.name, ...(stack ? { stack } : {}), ...(causes.length ? { causes } : {}) };
}

/** One "internal_error" line for an unexpected error, with what identifies the work it interrupted. */
export function logInternalError(err: unknown, fields: Record<string, unknown>): void {
  log("error", "internal_error", { ...fields, ...errorFields(err) });
}
