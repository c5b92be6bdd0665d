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
