import { usage } from "./errors.js";
import { str, type Values } from "./args.js";

/**
 * The hospital's key from --key, else HISGATE_KEY (keeps it out of shell history). The standard's key is both
 * the MD5 salt and the AES-128 key, so it must be 16 bytes.
 */
export function keyOption(command: string, values: Values): string {
  const key = str(values, "key") ?? process.env.HISGATE_KEY;
  if (key === undefined || key === "")
    throw usage(`${command}: missing --key (the hospital's 16-character key; or set HISGATE_KEY)`);
  const bytes = Buffer.byteLength(key, "utf8");
  if (bytes !== 16) throw usage(`${command}: --key must be 16 bytes for AES-128 (got ${bytes})`);
  return key;
}

/** How a key appears in output: only its last four characters. */
export function maskKey(key: string): string {
  return `****${key.slice(-4)}`;
}
