import { createHash, timingSafeEqual } from "node:crypto";

/**
 * The standard's string to sign (§4.1.2): the signed parameters sorted by name (plain code-unit order, which is
 * a-z for the ASCII names the standard uses), joined as k=v with &, then &key=<key>. Values are raw, not URL-encoded.
 */
export function canonicalString(params: Readonly<Record<string, string>>, key: string): string {
  return `${Object.keys(params)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join("&")}&key=${key}`;
}

/**
 * Uppercase hex MD5 of the UTF-8 canonical string. The string is fed to the hash in parts rather than built
 * whole: building it copies the 100–300 KB ciphertext, and a non-Latin-1 value (resultMessage 成功) would
 * widen the whole copy to two bytes per character. Same digest, about 3× faster on large replies.
 */
export function sign(params: Readonly<Record<string, string>>, key: string): string {
  const hash = createHash("md5");
  const keys = Object.keys(params).sort();
  let pending = "";
  for (let i = 0; i < keys.length; i++) {
    const value = params[keys[i]!]!;
    pending += i === 0 ? `${keys[i]}=` : `&${keys[i]}=`;
    // Short values ride along with the names; a long one (the ciphertext) goes to the hash on its own.
    if (value.length < 1024) pending += value;
    else {
      hash.update(pending, "utf8");
      hash.update(value, "utf8");
      pending = "";
    }
  }
  hash.update(`${pending}&key=${key}`, "utf8");
  return hash.digest("hex").toUpperCase();
}

/** Constant-time comparison of two signatures, case-insensitive (some peers send lowercase hex). */
export function signaturesEqual(expected: string, received: string): boolean {
  const a = Buffer.from(expected.toUpperCase(), "utf8");
  const b = Buffer.from(received.toUpperCase(), "utf8");
  // Compare against itself on a length mismatch so the time taken does not reveal where it failed.
  return timingSafeEqual(a, a.length === b.length ? b : a) && a.length === b.length;
}

/** Constant-time equality of two secrets (bearer tokens). */
export function secretsEqual(expected: string, received: string): boolean {
  const a = createHash("sha256").update(expected).digest();
  const b = createHash("sha256").update(received).digest();
  return timingSafeEqual(a, b);
}
