import { sign, signaturesEqual } from "../../worker/src/crypto/sign.js";
import type { Candidate } from "./candidates.js";
import type { LoadedEnvelope } from "./envelope.js";

/**
 * Signing mistakes peers make, tried only to explain a mismatch: the gateway accepts none of them. Each variant
 * is a change to one of the accepted canonical forms; returns a sentence for each one that matches.
 */
export function nearMisses(envelope: LoadedEnvelope, key: string, candidates: readonly Candidate[]): string[] {
  const received = envelope.params.sign ?? "";
  if (received === "") return [];
  const raw = envelope.params;
  const found: string[] = [];
  const tryVariant = (why: string, change: (p: Record<string, string>) => Record<string, string>, k = key) => {
    for (const c of candidates) {
      if (signaturesEqual(sign(change({ ...c.params }), k), received)) {
        found.push(`it would match (${c.label}) if ${why}`);
        return;
      }
    }
  };
  if (raw.signType !== undefined)
    tryVariant("signType were signed too; the standard signs neither sign nor signType (§4.1.1)", (p) => ({
      ...p,
      signType: raw.signType!,
    }));
  const extras = Object.fromEntries(
    ["logNo", "version"].filter((n) => raw[n] !== undefined).map((n) => [n, raw[n]!] as const),
  );
  if (Object.keys(extras).length > 0)
    tryVariant(
      `${Object.keys(extras).join(" and ")} were signed; they are not base params of §1.4 and go unsigned`,
      (p) => ({
        ...p,
        ...extras,
      }),
    );
  const encrypted = raw.requestEncrypted;
  if (encrypted !== undefined && /%[0-9A-Fa-f]{2}/.test(encrypted)) {
    let decoded: string | undefined;
    try {
      decoded = decodeURIComponent(encrypted);
    } catch {
      decoded = undefined;
    }
    if (decoded !== undefined)
      tryVariant("requestEncrypted were URL-decoded: the value was URL-encoded twice, or signed decoded", (p) => ({
        ...p,
        requestEncrypted: decoded!,
      }));
  }
  if (encrypted !== undefined && /[+/=]/.test(encrypted))
    tryVariant("requestEncrypted were signed URL-encoded; sign the raw base64, encode only on the wire", (p) => ({
      ...p,
      requestEncrypted: encodeURIComponent(encrypted),
    }));
  for (const other of [key.toLowerCase(), key.toUpperCase()])
    if (other !== key)
      tryVariant(`the signer used the key in ${other === key.toLowerCase() ? "lower" : "upper"}case`, (p) => p, other);
  return found;
}
