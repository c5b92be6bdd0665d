import type { ServiceDefinition } from "../../../generated/registry.js";
import type { ServiceName, ServicePayloads } from "../../../generated/types.js";
import { decrypt, DecryptError, encrypt } from "../crypto/aes.js";
import { sign } from "../crypto/sign.js";
import { GatewayError } from "../errors.js";
import { writeXmlEnvelope } from "../payload/xml.js";
import { validationDetail } from "../validation.js";
import { decodePayload, encodePayload } from "./payload.js";
import type { PayloadFormat } from "./text.js";

/** Who signs and encrypts: the institution's identity and its 16-byte key. */
export interface Signer {
  partner: string;
  hospitalCode: string;
  key: string;
}

/** Builds a signed, encrypted request envelope as a platform client does (§5, API 调用流程 1-3). */
export function sealRequest(def: ServiceDefinition, signer: Signer, request: object, format: PayloadFormat): string {
  const params: Record<string, string> = {
    service: def.wireName,
    partner: signer.partner,
    hospitalCode: signer.hospitalCode,
    dataFormat: format,
    inputCharset: "utf-8",
    requestEncrypted: encrypt(encodePayload(def, "request", request, format), signer.key),
  };
  const signature = sign(params, signer.key);
  if (format === "json") return JSON.stringify({ ...params, signType: "md5", sign: signature });
  const { requestEncrypted, ...rest } = params;
  return writeXmlEnvelope([
    ...Object.entries(rest),
    ["signType", "md5"],
    ["sign", signature],
    ["requestEncrypted", requestEncrypted!],
  ]);
}

/**
 * Decrypts, decodes and validates the business request of an envelope whose signature has been verified.
 * Returns the typed request the generated validator produced.
 */
export function openRequest<N extends ServiceName>(
  params: Readonly<Record<string, string>>,
  def: ServiceDefinition<N>,
  key: string,
): ServicePayloads[N]["request"] {
  const ciphertext = params.requestEncrypted;
  if (ciphertext === undefined || ciphertext.trim() === "")
    throw new GatewayError("NULL_REQUEST", "requestEncrypted is empty");
  let bytes: Uint8Array;
  try {
    bytes = decrypt(ciphertext, key);
  } catch (err) {
    if (err instanceof DecryptError) throw new GatewayError("ILLEGAL_ENCRYPT", err.message, [], { cause: err });
    throw err;
  }
  const result = def.validateRequest(decodePayload(bytes, def, "request"));
  if (!result.ok) throw new GatewayError("ILLEGAL_ARGUMENT", validationDetail(result.errors), result.errors);
  return result.value;
}
