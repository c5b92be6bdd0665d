import { NOT_XML_CHAR } from "../../../runtime/validate.js";
import { sign } from "../crypto/sign.js";
import type { PayloadFormat } from "../env.js";
import { writeXmlEnvelope } from "../payload/xml.js";

export interface ReplyEnvelope {
  resultCode: string;
  resultMessage: string;
  responseEncrypted?: string;
}

/** resultMessage is String(128) in the standard (§1.4), counted in characters. */
export const RESULT_MESSAGE_MAX = 128;

const NOT_XML_CHARS = new RegExp(NOT_XML_CHAR.source, "g");

/** At most max characters (code points): the text cut with a closing "…" when longer. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/**
 * The resultMessage as it goes on the wire: free text from the HIS may hold characters XML 1.0 cannot carry
 * (removed, so the envelope stays well-formed in XML and SOAP) and may be longer than String(128) (cut).
 */
export function wireResultMessage(message: string): string {
  return cutText(NOT_XML_CHARS.test(message) ? message.replace(NOT_XML_CHARS, "") : message, RESULT_MESSAGE_MAX);
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
