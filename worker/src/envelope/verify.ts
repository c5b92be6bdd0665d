import { requestParams } from "../../../generated/envelope.js";
import { sign, signaturesEqual } from "../crypto/sign.js";

const SIGNED = requestParams.filter((p) => p.signed).map((p) => p.name);

/** The base params that take part in the signature: every signed base param that is present (§4.1.1). */
export function signedParams(params: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of SIGNED) if (params[name] !== undefined) out[name] = params[name]!;
  return out;
}

/**
 * Verifies the platform's signature. Two quirks of the standard make more than one canonical string valid:
 * - the service may have been signed under another spelling than the one sent (the seed's XML and JSON examples
 *   send NetTest but sign TestNet; the GET example's path says testnet and signs NetTest);
 * - a base param sent with an empty value may or may not have been signed (peers differ); both forms count.
 * Every candidate is computed and compared in constant time, without an early exit.
 */
export function verifySignature(
  params: Readonly<Record<string, string>>,
  key: string,
  serviceSpellings: readonly string[],
): boolean {
  const received = params.sign ?? "";
  const base = signedParams(params);
  const withoutEmpty = Object.fromEntries(Object.entries(base).filter(([, v]) => v !== ""));
  const forms = Object.keys(withoutEmpty).length === Object.keys(base).length ? [base] : [base, withoutEmpty];
  let ok = false;
  for (const spelling of new Set(serviceSpellings)) {
    for (const form of forms) {
      const candidate = "service" in form ? { ...form, service: spelling } : form;
      ok = signaturesEqual(sign(candidate, key), received) || ok;
    }
  }
  return ok;
}
