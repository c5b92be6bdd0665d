import { resultCodeMessages } from "../../generated/enums.js";
import type { ServiceDefinition } from "../../generated/registry.js";
import { GatewayError } from "../../worker/src/errors.js";
import { openReply, readReplyParams } from "../../worker/src/protocol/index.js";

/** What one exchange came to. */
export interface Outcome {
  /** The reply's resultCode (claimed, when the signature did not verify), or "-" when there is none. */
  resultCode: string;
  resultMessage: string;
  /** true/false; undefined where it does not apply (no envelope, or the gateway verified it: /platform). */
  verified: boolean | undefined;
  /** The business response against the generated validator; undefined where there is none to check. */
  valid: boolean | undefined;
  data?: object;
  /** Why the exchange failed at the envelope level, when it did. */
  problem?: string;
}

/**
 * A reply envelope from a hospital deployment, read with the worker's own openReply: signature first (nothing
 * is trusted before), then decrypt, decode, validate against the generated response validator.
 */
export function readReply(text: string, def: ServiceDefinition, key: string, status: number): Outcome {
  const http = status === 200 ? "" : `HTTP ${status}: `;
  try {
    const reply = openReply(text, def, key);
    return {
      resultCode: reply.resultCode,
      resultMessage: reply.resultMessage,
      verified: true,
      valid: reply.data !== undefined ? true : undefined,
      ...(reply.data !== undefined ? { data: reply.data } : {}),
      ...(status !== 200 ? { problem: `HTTP ${status} (the standard answers every envelope with 200)` } : {}),
    };
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err;
    const detail = err.detail ?? err.resultCode;
    const claimed = claimedResult(text);
    const said = claimed.resultCode
      ? ` (it says ${claimed.resultCode}${claimed.resultMessage ? `: ${claimed.resultMessage}` : ""})`
      : "";
    if (err.resultCode === "ILLEGAL_SIGN") {
      return {
        resultCode: claimed.resultCode ?? "-",
        resultMessage: claimed.resultMessage ?? "",
        verified: false,
        valid: undefined,
        problem: `${http}${claimed.signed ? "the reply's signature does not verify with this key" : "the reply is not signed"}${said}${
          claimed.signed && claimed.resultCode === "ILLEGAL_SIGN"
            ? "; it rejected this key's sign too: the keys differ"
            : ""
        }`,
      };
    }
    if (err.resultCode === "ILLEGAL_RESPONSE" && detail.startsWith("the reply is malformed")) {
      const snippet = text.trim().slice(0, 80).replace(/\s+/g, " ");
      return {
        resultCode: "-",
        resultMessage: "",
        verified: undefined,
        valid: undefined,
        problem: `${http}not an envelope: ${detail.replace(/^the reply is malformed: /, "")}${snippet ? ` (${JSON.stringify(snippet)})` : " (empty body)"}`,
      };
    }
    // Past the signature: the reply is authentic but its content is wrong.
    return {
      resultCode: claimed.resultCode ?? "-",
      resultMessage: claimed.resultMessage ?? "",
      verified: true,
      valid: false,
      problem: `${http}${err.resultCode}: ${detail}`,
    };
  }
}

/** resultCode / resultMessage / whether a sign is present, read without trusting anything (for messages). */
function claimedResult(text: string): { resultCode?: string; resultMessage?: string; signed: boolean } {
  try {
    const { resultCode, resultMessage, sign } = readReplyParams(text);
    return {
      ...(resultCode !== undefined ? { resultCode } : {}),
      ...(resultMessage !== undefined ? { resultMessage } : {}),
      signed: sign !== undefined && sign !== "",
    };
  } catch {
    return { signed: false };
  }
}

export type Verdict = { pass: true; note?: string } | { pass: false; note: string };

// Business codes: S… from the hospital (§2.1), A… from the platform (§2.2).
const BUSINESS = /^[SA]\d+$/;

/**
 * Whether an outcome conforms. SUCCESS (with a valid response) passes; a business code (S… or A…) passes (the
 * deployment answered, signed, as the standard wants); the unified codes of §2.3 are envelope-level failures;
 * anything else is not a code the standard allows.
 */
export function judge(outcome: Outcome, def: ServiceDefinition): Verdict {
  if (outcome.problem) return { pass: false, note: outcome.problem };
  const code = outcome.resultCode;
  if (code === "SUCCESS") return { pass: true };
  if (BUSINESS.test(code)) {
    const listed = code in def.resultCodes ? "" : ` (not among ${def.name}'s codes in the standard)`;
    return { pass: true, note: `business code: ${outcome.resultMessage || "-"}${listed}` };
  }
  if (code in resultCodeMessages) return { pass: false, note: `${code}: ${outcome.resultMessage || "-"}` };
  return {
    pass: false,
    note: `${code} is neither a result code of the standard (§2.3) nor a business code (S…, A…): ${outcome.resultMessage || "-"}`,
  };
}
