import { createCipheriv, createDecipheriv } from "node:crypto";

// AES-128-ECB with PKCS5 padding and base64 (§4.2.2). Web Crypto has no ECB, so this uses node:crypto, which
// workerd provides natively under nodejs_compat. ECB is the standard's choice, not ours.

// A scan for any character outside the alphabet, then where "=" may stand: /^[A-Za-z0-9+/]*={0,2}$/ accepts the
// same strings but backtracks per character, ~8× slower on a 140 KB ciphertext.
const NOT_BASE64 = /[^A-Za-z0-9+/=]/;

function isBase64(s: string): boolean {
  if (NOT_BASE64.test(s)) return false;
  const eq = s.indexOf("=");
  return eq === -1 || (eq >= s.length - 2 && (eq === s.length - 1 || s.charCodeAt(s.length - 1) === 0x3d));
}

export class DecryptError extends Error {
  override name = "DecryptError";
}

export function encrypt(plaintext: string, key: string): string {
  const cipher = createCipheriv("aes-128-ecb", Buffer.from(key, "utf8"), Buffer.alloc(0));
  return Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]).toString("base64");
}

/** Decrypts to bytes; the caller decides whether they are valid UTF-8 (ILLEGAL_ENCODING) or not. */
export function decrypt(ciphertext: string, key: string): Uint8Array {
  // Line breaks and spaces creep into base64 pasted from documents; anything else is not base64.
  const compact = ciphertext.replace(/[\r\n\t ]+/g, "");
  if (compact.length === 0 || compact.length % 4 !== 0 || !isBase64(compact)) throw new DecryptError("not base64");
  const bytes = Buffer.from(compact, "base64");
  if (bytes.length === 0 || bytes.length % 16 !== 0)
    throw new DecryptError(`ciphertext is ${bytes.length} bytes, not a multiple of the 16-byte block`);
  try {
    const decipher = createDecipheriv("aes-128-ecb", Buffer.from(key, "utf8"), Buffer.alloc(0));
    return Buffer.concat([decipher.update(bytes), decipher.final()]);
  } catch {
    throw new DecryptError("bad padding: wrong key or corrupted ciphertext");
  }
}
