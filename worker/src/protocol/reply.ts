import type { ServiceDefinition } from "../../../generated/registry.js";
import { decrypt, DecryptError, encrypt } from "../crypto/aes.js";
import { sign } from "../crypto/sign.js";
import { GatewayError } from "../errors.js";
import { writeXmlEnvelope } from "../payload/xml.js";
import { validationDetail } from "../validation.js";
import { readReplyParams } from "./envelope.js";
import { wireResultMessage } from "./result-message.js";
import { decodePayload, encodePayload } from "./payload.js";
import { verifyReplySignature } from "./signature.js";
import type { PayloadFormat } from "./text.js";

export interface ReplyEnvelope {
  resultCode: string;
  resultMessage: string;
  responseEncrypted?: string;
}

/**
 * The base reply of §1.4. Signed over resultCode, resultMessage and responseEncrypted when a key is known
 * (§5 step 6): the seed's XML success reply signs to 5A79CE775EC879E11B88EF71D69F131E this way.
 */
export function writeReply(envelope: ReplyEnvelope, format: PayloadFormat, key: string | undefined): string {
  const reply = { ...envelope, resultMessage: wireResultMessage(envelope.resultMessage) };
  const signed: Record<string, string> = { resultCode: reply.resultCode, resultMessage: reply.resultMessage };
  if (reply.responseEncrypted) signed.responseEncrypted = reply.responseEncrypted;
  const signature = key === undefined ? undefined : sign(signed, key);
  if (format === "xml") {
    const params: [string, string][] = [
      ["resultCode", reply.resultCode],
      ["resultMessage", reply.resultMessage],
    ];
    if (signature) params.push(["sign", signature], ["signType", "md5"]);
    if (reply.responseEncrypted) params.push(["responseEncrypted", reply.responseEncrypted]);
    return writeXmlEnvelope(params);
  }
  return JSON.stringify({
    resultCode: reply.resultCode,
    resultMessage: reply.resultMessage,
    ...(signature ? { signType: "md5", sign: signature } : {}),
    ...(reply.responseEncrypted ? { responseEncrypted: reply.responseEncrypted } : {}),
  });
}

/**
 * A SUCCESS reply carrying `response` (already validated against the service's response validator), encoded in
 * `format` and encrypted under `key` (§5 steps 4-5).
 */
export function successReply(
  def: ServiceDefinition,
  resultMessage: string,
  response: object,
  format: PayloadFormat,
  key: string,
): ReplyEnvelope {
  return {
    resultCode: "SUCCESS",
    resultMessage,
    responseEncrypted: encrypt(encodePayload(def, "response", response, format), key),
  };
}

/** A reply envelope opened: its result, and the typed business response when it carries one. */
export interface OpenedReply {
  resultCode: string;
  resultMessage: string;
  data?: object;
}

/**
 * Reads a reply envelope the way a platform client must: signature first (nothing in it is trusted before), then
 * decrypt, decode and validate the business response. `keys`: every key the reply may be signed in (during a key
 * rotation, more than one), each tried in full; the one that verifies decrypts. `peer` names the sender in
 * messages.
 */
export function openReply(
  text: string,
  def: ServiceDefinition,
  keys: string | readonly string[],
  peer = "the reply",
): OpenedReply {
  let params: Record<string, string>;
  try {
    params = readReplyParams(text);
  } catch (err) {
    if (err instanceof GatewayError && err.detail)
      throw new GatewayError(err.resultCode, err.detail.replace(/^the reply/, peer), [], { cause: err });
    throw err;
  }
  let key: string | undefined;
  for (const k of typeof keys === "string" ? [keys] : keys) if (verifyReplySignature(params, k) && !key) key = k;
  if (key === undefined)
    throw new GatewayError("ILLEGAL_SIGN", `${peer}'s signature does not verify; nothing in it was used`);
  const resultCode = params.resultCode ?? "";
  if (!resultCode) throw new GatewayError("ILLEGAL_RESPONSE", `${peer} has no resultCode`);
  const resultMessage = params.resultMessage ?? "";
  if (resultCode !== "SUCCESS" || !def.hasResponse) return { resultCode, resultMessage };
  if (!params.responseEncrypted)
    throw new GatewayError("NULL_RESPONSE", `${peer} is SUCCESS without responseEncrypted`);
  let bytes: Uint8Array;
  try {
    bytes = decrypt(params.responseEncrypted, key);
  } catch (err) {
    if (err instanceof DecryptError)
      throw new GatewayError("ILLEGAL_ENCRYPT", `${peer}: ${err.message}`, [], { cause: err });
    throw err;
  }
  const result = def.validateResponse(decodePayload(bytes, def, "response"));
  if (!result.ok)
    throw new GatewayError(
      "ILLEGAL_RESPONSE",
      `${peer} fails validation: ${validationDetail(result.errors)}`,
      result.errors,
    );
  return { resultCode, resultMessage, data: result.value };
}
