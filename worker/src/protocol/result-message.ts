import { NOT_XML_CHAR } from "../../../runtime/validate.js";

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
