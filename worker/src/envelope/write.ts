import { sign } from "../crypto/sign.js";
import type { PayloadFormat } from "../env.js";
import { writeXmlEnvelope } from "../payload/xml.js";

export interface ReplyEnvelope {
  resultCode: string;
  resultMessage: string;
  responseEncrypted?: string;
}

/**
 * The base reply of §1.4. Signed over resultCode, resultMessage and responseEncrypted when a key is known
 * (§5 step 6): the seed's XML success reply signs to 5A79CE775EC879E11B88EF71D69F131E this way.
 */
export function writeReply(reply: ReplyEnvelope, format: PayloadFormat, key: string | undefined): string {
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
