// An independent reference of the standard's envelope, written from the seed (§4, §5, the Java example) with
// node:crypto only. Tests build and check envelopes with this, never with the worker's own helpers.
import { createCipheriv, createDecipheriv, createHash } from "node:crypto";

export const SEED_KEY = "2098D32C4D1399EC";

export function md5Upper(text: string): string {
  return createHash("md5").update(text, "utf8").digest("hex").toUpperCase();
}

/** §4.1.2: sort by name, k=v joined with &, then &key=…, MD5, uppercase. */
export function refSign(params: Record<string, string>, key: string): string {
  const body = Object.keys(params)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join("&");
  return md5Upper(`${body}&key=${key}`);
}

/** Cipher.getInstance("AES/ECB/PKCS5Padding") + Base64, as the seed's Java example. */
export function refEncrypt(plain: string, key: string): string {
  const cipher = createCipheriv("aes-128-ecb", Buffer.from(key, "utf8"), null);
  return Buffer.concat([cipher.update(Buffer.from(plain, "utf8")), cipher.final()]).toString("base64");
}

export function refDecrypt(b64: string, key: string): string {
  const decipher = createDecipheriv("aes-128-ecb", Buffer.from(key, "utf8"), null);
  return Buffer.concat([decipher.update(Buffer.from(b64, "base64")), decipher.final()]).toString("utf8");
}

const cdata = (v: string) => `<![CDATA[${v}]]>`;

export type Wire = { [k: string]: string | Wire[] };

/** A business payload as XML with every value in CDATA (§1.3). */
export function refPayloadXml(root: string, value: Wire): string {
  const body = (v: Wire): string =>
    Object.entries(v)
      .map(([k, x]) =>
        Array.isArray(x) ? x.map((item) => `<${k}>${body(item)}</${k}>`).join("") : `<${k}>${cdata(x)}</${k}>`,
      )
      .join("");
  return `<${root}>${body(value)}</${root}>`;
}

export interface RefEnvelopeOptions {
  service: string;
  partner?: string;
  hospitalCode?: string;
  key?: string;
  format: "xml" | "json";
  /** The business payload text, before encryption. */
  payload: string;
  /** Spelling to sign the service under, when it differs from the one sent. */
  signService?: string;
  overrides?: Record<string, string | undefined>;
}

/** A complete platform request envelope: encrypt, then sign (§4.2.1). */
export function refEnvelope(o: RefEnvelopeOptions): { body: string; params: Record<string, string> } {
  const key = o.key ?? SEED_KEY;
  const params: Record<string, string> = {
    service: o.service,
    partner: o.partner ?? "TEST_WX",
    hospitalCode: o.hospitalCode ?? "0",
    dataFormat: o.format,
    inputCharset: "utf-8",
    requestEncrypted: refEncrypt(o.payload, key),
  };
  const toSign = { ...params, service: o.signService ?? o.service };
  const all: Record<string, string | undefined> = {
    ...params,
    signType: "md5",
    sign: refSign(toSign, key),
    ...o.overrides,
  };
  const present = Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined));
  const body =
    o.format === "xml"
      ? `<?xml version="1.0" encoding="utf-8"?>\n<root>\n${Object.entries(present)
          .map(([k, v]) => `<${k}>${cdata(v)}</${k}>`)
          .join("\n")}\n</root>`
      : JSON.stringify(present);
  return { body, params: present };
}

/** Reads a reply envelope (XML <root> of CDATA values, or JSON) into its params, with a plain regex reader. */
export function refReadReply(text: string): Record<string, string> {
  const t = text.trim();
  if (t.startsWith("{")) return JSON.parse(t) as Record<string, string>;
  const out: Record<string, string> = {};
  for (const m of t.matchAll(/<(\w+)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>/g)) {
    if (m[1] !== "root") out[m[1]!] = m[2] ?? m[3] ?? "";
  }
  return out;
}

/** Checks a reply's signature over every param but sign and signType (§4.1.1). */
export function refReplySignatureOk(reply: Record<string, string>, key = SEED_KEY): boolean {
  const { sign, signType, ...rest } = reply;
  return signType === "md5" && sign === refSign(rest, key);
}

/** The base params of a JSON TestNet envelope for the seed's test partner, with some of them replaced. */
export function refParams(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    service: "TestNet",
    partner: "TEST_WX",
    hospitalCode: "0",
    dataFormat: "json",
    inputCharset: "utf-8",
    ...overrides,
  };
}

/** A JSON envelope of exactly these base params, correctly signed: for envelopes whose content is the test. */
export function refSignedJson(params: Record<string, string>, key = SEED_KEY): string {
  return JSON.stringify({ ...params, signType: "md5", sign: refSign(params, key) });
}
