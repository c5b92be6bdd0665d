import { GatewayError } from "../errors.js";

/** The two payload formats of the standard (§1.3). */
export type PayloadFormat = "xml" | "json";

/** XML or JSON, told apart by the first significant character rather than the content type. */
export function sniff(text: string): PayloadFormat | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0xfeff) continue;
    return c === 0x3c ? "xml" : c === 0x7b ? "json" : undefined;
  }
  return undefined;
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** Strict UTF-8 (inputCharset is utf-8 only): anything else is ILLEGAL_ENCODING, naming what was read. */
export function decodeUtf8(bytes: ArrayBuffer | Uint8Array, what = "the body"): string {
  try {
    return utf8.decode(bytes);
  } catch (cause) {
    throw new GatewayError("ILLEGAL_ENCODING", `${what} is not UTF-8`, [], { cause });
  }
}

/** Reads a request body as strict UTF-8. */
export async function readUtf8(req: Request): Promise<string> {
  return decodeUtf8(await req.arrayBuffer());
}
