// The contenders of the pipeline benchmarks, shared by bench/pipeline.bench.ts and bench/candidates.bench.ts:
//   gateway   the worker's own modules, in the order authenticate / openRequest / sealAnswer run them;
//   floor     node:crypto MD5 + AES over the same bytes, JSON.parse / JSON.stringify only;
//   baseline  general-purpose parts: ajv on the OpenAPI schema + fast-xml-parser with default options.
import { createCipheriv, createDecipheriv, createHash } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { findService, getService, type ServiceDefinition } from "../generated/registry.js";
import type { Result } from "../runtime/validate.js";
import { SEED_KEY, refDecrypt, refEnvelope, refReadReply, refReplySignatureOk } from "../test/support/reference.js";
import { decrypt, encrypt } from "../worker/src/crypto/aes.js";
import {
  decodePayload,
  encodePayload,
  readEnvelopeBody,
  verifySignature,
  writeReply,
} from "../worker/src/protocol/index.js";
import { ajvValidator, defaultXmlBuilder, defaultXmlParser } from "./baseline.js";
import { PAYLOADS, toWireText, toWireXml, type BenchPayload, type Typed } from "./payloads.js";

export { PAYLOADS };
export const KEY = SEED_KEY;

export type Format = "xml" | "json";
export type Direction = "inbound" | "outbound";

export interface Case {
  payload: BenchPayload;
  def: ServiceDefinition;
  format: Format;
  direction: Direction;
  /** The business payload as the wire carries it, in this format. */
  payloadText: string;
  /** The same payload as platform JSON (the floor's stand-in for parsing XML). */
  payloadJson: string;
  validate: (input: unknown) => Result<unknown>;
  // inbound
  envelope: string;
  envelopeJson: string;
  params: Record<string, string>;
  canonical: string;
  ciphertext: string;
  // outbound
  replyCanonical: string;
  replyCiphertext: string;
}

export const canonicalOf = (params: Record<string, string>) =>
  `${Object.keys(params)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join("&")}&key=${KEY}`;

export function makeCase(payload: BenchPayload, format: Format, direction: Direction): Case {
  const def = getService(payload.service)!;
  const wire = toWireText(payload.typed);
  const payloadJson = JSON.stringify(wire);
  const payloadText = format === "xml" ? toWireXml(payload.kind, payload.typed) : payloadJson;
  const { body, params } = refEnvelope({ service: def.wireName, format, payload: payloadText, key: KEY });
  const { sign: _s, signType: _t, ...signed } = params;
  const replyCiphertext = encrypt(payloadText, KEY);
  return {
    payload,
    def,
    format,
    direction,
    payloadText,
    payloadJson,
    validate: payload.kind === "request" ? def.validateRequest : def.validateResponse,
    envelope: body,
    envelopeJson: JSON.stringify(params),
    params,
    canonical: canonicalOf(signed),
    ciphertext: params.requestEncrypted!,
    replyCanonical: canonicalOf({ resultCode: "SUCCESS", resultMessage: "成功", responseEncrypted: replyCiphertext }),
    replyCiphertext,
  };
}

// ---- the gateway: the worker's own modules, in the order authenticate / openRequest / sealAnswer run them ----

export function gatewayInbound(c: Case): string {
  const envelope = readEnvelopeBody(c.envelope);
  const { params } = envelope;
  const def = findService("platformToHospital", params.service!) ?? c.def;
  if (!verifySignature(params, KEY, [params.service!, def.wireName, ...def.aliases])) throw new Error("bad sign");
  const tree = decodePayload(decrypt(params.requestEncrypted!, KEY), def, c.payload.kind);
  const result = c.validate(tree);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return JSON.stringify(result.value);
}

export function gatewayOutbound(c: Case): string {
  const result = c.validate(c.payload.typed);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const payload = encodePayload(c.def, c.payload.kind, result.value as Typed, c.format);
  return writeReply(
    { resultCode: "SUCCESS", resultMessage: "成功", responseEncrypted: encrypt(payload, KEY) },
    c.format,
    KEY,
  );
}

// ---- the floor: native MD5 + AES + JSON only, over the same bytes ----

const keyBytes = Buffer.from(KEY, "utf8");
const noIv = Buffer.alloc(0);

export function floorInbound(c: Case): string {
  JSON.parse(c.envelopeJson);
  createHash("md5").update(c.canonical, "utf8").digest("hex");
  const d = createDecipheriv("aes-128-ecb", keyBytes, noIv);
  const plain = Buffer.concat([d.update(Buffer.from(c.ciphertext, "base64")), d.final()]).toString("utf8");
  // JSON parses its own bytes; XML has no native parser, so the JSON form of the same payload stands in.
  return JSON.stringify(JSON.parse(c.format === "json" ? plain : c.payloadJson));
}

export function floorOutbound(c: Case): string {
  const text = JSON.stringify(c.payload.typed);
  const e = createCipheriv("aes-128-ecb", keyBytes, noIv);
  // The bytes actually sent: JSON encrypts what it just wrote, XML the XML form of the same payload.
  const encrypted = Buffer.concat([e.update(c.format === "json" ? text : c.payloadText, "utf8"), e.final()]);
  encrypted.toString("base64");
  createHash("md5").update(c.replyCanonical, "utf8").digest("hex");
  return JSON.stringify({ resultCode: "SUCCESS", resultMessage: "成功", responseEncrypted: c.replyCiphertext });
}

// ---- the baseline: general-purpose parts ----

const md5Upper = (s: string) => createHash("md5").update(s, "utf8").digest("hex").toUpperCase();
const numbersAsText = (_k: string, v: unknown) => (typeof v === "number" ? String(v) : v);

export function baselineInbound(c: Case, validate: ReturnType<typeof ajvValidator>): string {
  let params: Record<string, string>;
  let tree: unknown;
  const raw =
    c.format === "xml"
      ? (defaultXmlParser.parse(c.envelope) as { root: Record<string, unknown> }).root
      : (JSON.parse(c.envelope) as Record<string, unknown>);
  params = {};
  for (const [k, v] of Object.entries(raw)) params[k] = String(v);
  const { sign, signType: _t, ...signed } = params;
  if (md5Upper(canonicalOf(signed)) !== sign) throw new Error("baseline: bad sign");
  const d = createDecipheriv("aes-128-ecb", keyBytes, noIv);
  const plain = Buffer.concat([d.update(Buffer.from(params.requestEncrypted!, "base64")), d.final()]).toString("utf8");
  if (c.format === "xml") tree = (defaultXmlParser.parse(plain) as Record<string, unknown>)[c.payload.kind];
  else tree = JSON.parse(plain);
  if (!validate(tree)) throw new Error(`baseline: ${JSON.stringify(validate.errors)}`);
  return JSON.stringify(tree);
}

export function baselineOutbound(c: Case, validate: ReturnType<typeof ajvValidator>): string {
  if (!validate(c.payload.typed)) throw new Error(`baseline: ${JSON.stringify(validate.errors)}`);
  const payload =
    c.format === "xml"
      ? (defaultXmlBuilder.build({ [c.payload.kind]: c.payload.typed }) as string)
      : JSON.stringify(c.payload.typed, numbersAsText);
  const e = createCipheriv("aes-128-ecb", keyBytes, noIv);
  const responseEncrypted = Buffer.concat([e.update(payload, "utf8"), e.final()]).toString("base64");
  const reply = { resultCode: "SUCCESS", resultMessage: "成功", responseEncrypted };
  const sign = md5Upper(canonicalOf(reply));
  const out = { ...reply, sign, signType: "md5" };
  return c.format === "xml"
    ? `<?xml version="1.0" encoding="utf-8"?>${defaultXmlBuilder.build({ root: out }) as string}`
    : JSON.stringify(out);
}

// ---- correctness before speed: every contender must produce the right answer ----

export function check(c: Case, ajvIn: ReturnType<typeof ajvValidator>, ajvOut: ReturnType<typeof ajvValidator>): void {
  const expected = (c.validate(c.payload.typed) as { ok: true; value: unknown }).value;
  if (!isDeepStrictEqual(expected, c.payload.typed)) throw new Error(`${label(c)}: typed sample is not canonical`);
  if (c.direction === "inbound") {
    const got = JSON.parse(gatewayInbound(c));
    if (!isDeepStrictEqual(got, expected)) throw new Error(`${label(c)}: gateway inbound differs`);
    JSON.parse(baselineInbound(c, ajvIn));
    floorInbound(c);
  } else {
    const reply = refReadReply(gatewayOutbound(c));
    if (!refReplySignatureOk(reply, KEY)) throw new Error(`${label(c)}: reply signature`);
    const plain = refDecrypt(reply.responseEncrypted!, KEY);
    const want = c.format === "xml" ? c.payloadText : c.payloadJson;
    if (plain !== want) throw new Error(`${label(c)}: gateway outbound payload differs`);
    const base = refReadReply(baselineOutbound(c, ajvOut));
    if (!refReplySignatureOk(base, KEY)) throw new Error(`${label(c)}: baseline reply signature`);
    floorOutbound(c);
  }
}

export const label = (c: Case) => `${c.payload.name} ${c.format} ${c.direction}`;
