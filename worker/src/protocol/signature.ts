import { requestParams, responseParams } from "../../../generated/envelope.js";
import { sign, signaturesEqual } from "../crypto/sign.js";

const SIGNED = requestParams.filter((p) => p.signed).map((p) => p.name);
const SIGNED_REPLY = responseParams.filter((p) => p.signed).map((p) => p.name);

/** The base params that take part in the signature: every signed base param that is present (§4.1.1). */
export function signedParams(params: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of SIGNED) if (params[name] !== undefined) out[name] = params[name]!;
  return out;
}

/** One canonical form the platform may have signed, and the signature it gives. */
export interface SignatureCandidate {
  /** The params signed: `service` replaced by one of the spellings (when the form has a service). */
  params: Record<string, string>;
  /** The spelling the service was signed under; undefined when the form carries no service. */
  service: string | undefined;
  /** True for the form that leaves out the params sent with an empty value. */
  emptyOmitted: boolean;
  /** Uppercase hex MD5 of the canonical string of `params`. */
  sign: string;
}

/**
 * Every canonical form verifySignature accepts, in the order it tries them. Two quirks of the standard make
 * more than one canonical string valid:
 * - the service may have been signed under another spelling than the one sent (the seed's XML and JSON examples
 *   send NetTest but sign TestNet; the GET example's path says testnet and signs NetTest);
 * - a base param sent with an empty value may or may not have been signed (peers differ); both forms count.
 */
export function signatureCandidates(
  params: Readonly<Record<string, string>>,
  key: string,
  serviceSpellings: readonly string[],
): SignatureCandidate[] {
  const base = signedParams(params);
  const withoutEmpty = Object.fromEntries(Object.entries(base).filter(([, v]) => v !== ""));
  const forms = Object.keys(withoutEmpty).length === Object.keys(base).length ? [base] : [base, withoutEmpty];
  const candidates: SignatureCandidate[] = [];
  for (const spelling of new Set(serviceSpellings)) {
    for (const form of forms) {
      const hasService = "service" in form;
      const candidate = hasService ? { ...form, service: spelling } : form;
      candidates.push({
        params: candidate,
        service: hasService ? spelling : undefined,
        emptyOmitted: form !== base,
        sign: sign(candidate, key),
      });
    }
  }
  return candidates;
}

/**
 * Verifies the platform's signature against every candidate of signatureCandidates, each compared in constant
 * time, without an early exit.
 */
export function verifySignature(
  params: Readonly<Record<string, string>>,
  key: string,
  serviceSpellings: readonly string[],
): boolean {
  const received = params.sign ?? "";
  let ok = false;
  for (const candidate of signatureCandidates(params, key, serviceSpellings))
    ok = signaturesEqual(candidate.sign, received) || ok;
  return ok;
}

/** The reply params that take part in its signature (§4.1.1: all but sign and signType). */
export function signedReplyParams(params: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of SIGNED_REPLY) if (params[name] !== undefined) out[name] = params[name]!;
  return out;
}

/**
 * Every canonical form a reply may have been signed over: all its signed params, and (when some are empty) the
 * same without the empty ones, since peers differ on whether an empty value is signed.
 */
export function replySignatureCandidates(params: Readonly<Record<string, string>>, key: string): SignatureCandidate[] {
  const all = signedReplyParams(params);
  const nonEmpty = Object.fromEntries(Object.entries(all).filter(([, v]) => v !== ""));
  const forms = Object.keys(nonEmpty).length === Object.keys(all).length ? [all] : [all, nonEmpty];
  return forms.map((form, i) => ({ params: form, service: undefined, emptyOmitted: i > 0, sign: sign(form, key) }));
}

/** Verifies a reply's signature against every form of replySignatureCandidates, in constant time each. */
export function verifyReplySignature(params: Readonly<Record<string, string>>, key: string): boolean {
  const received = params.sign ?? "";
  if (received === "") return false;
  let ok = false;
  for (const candidate of replySignatureCandidates(params, key)) ok = signaturesEqual(candidate.sign, received) || ok;
  return ok;
}
