// Candidate optimisations, as prototypes measured against the worker's current code on the same inputs
// (bench/candidates.bench.ts). Nothing here is used by the worker: each is a proposal for the file named in
// its comment, kept here so the measured gain can be reproduced. Each must give the same output as the code it
// would replace (checked on every benchmark payload before timing), and would still need the worker's own tests.
import { requestParams } from "../generated/envelope.js";
import type { ServiceDefinition } from "../generated/registry.js";
import { sign } from "../worker/src/crypto/sign.js";
import { parseJson } from "../worker/src/payload/json.js";

// (The base64 check in decrypt and MD5 fed in parts in sign() were candidates here; both are now in the worker.)

// ---- worker/src/protocol/reply.ts: the JSON reply without JSON.stringify over the ciphertext ----
// base64 needs no JSON escaping; only the two text fields do.

export function writeReplyCandidate(
  reply: { resultCode: string; resultMessage: string; responseEncrypted?: string },
  key: string,
  writeXmlEnvelope: (params: [string, string][]) => string,
  format: "xml" | "json",
): string {
  const signed: Record<string, string> = { resultCode: reply.resultCode, resultMessage: reply.resultMessage };
  if (reply.responseEncrypted) signed.responseEncrypted = reply.responseEncrypted;
  const signature = sign(signed, key);
  if (format === "xml") {
    const params: [string, string][] = [
      ["resultCode", reply.resultCode],
      ["resultMessage", reply.resultMessage],
      ["sign", signature],
      ["signType", "md5"],
    ];
    if (reply.responseEncrypted) params.push(["responseEncrypted", reply.responseEncrypted]);
    return writeXmlEnvelope(params);
  }
  return (
    `{"resultCode":${JSON.stringify(reply.resultCode)},"resultMessage":${JSON.stringify(reply.resultMessage)},` +
    `"signType":"md5","sign":"${signature}"` +
    (reply.responseEncrypted ? `,"responseEncrypted":"${reply.responseEncrypted}"}` : "}")
  );
}

// ---- worker/src/payload/xml.ts: a reader for the standard's XML instead of XMLValidator + XMLParser ----
// The platform's XML is elements, CDATA and text: no attributes that matter, no entities (processEntities is off),
// no DOCTYPE (refused). A scanner that jumps with indexOf from "<" to "<" reads it in one pass, checks that tags
// nest and match, keeps one root, and builds the tree fast-xml-parser builds with the worker's options
// (text leaves trimmed, CDATA merged into text, "" for an empty element, arrays for listPaths and repeats).
// fast-xml-parser instead validates the whole text in one pass (XMLValidator) and parses it in a second,
// character by character, including the 100–300 KB of base64 inside the envelope's CDATA.

const NAME_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) NAME_CHAR[c] = /[A-Za-z0-9_.:-]/.test(String.fromCharCode(c)) ? 1 : 0;
const UNSAFE_NAMES = new Set(["__proto__", "constructor", "prototype"]);
const DOCTYPE = /<!DOCTYPE/i;

interface Frame {
  name: string;
  path: string;
  obj: Record<string, unknown> | undefined;
  text: string;
}

export function scanXml(text: string, listPaths: ReadonlySet<string>, maxDepth = 16): { root: string; value: unknown } {
  if (DOCTYPE.test(text)) throw new Error("DOCTYPE is not allowed");
  const n = text.length;
  const stack: (Frame | undefined)[] = [];
  let i = 0;
  let cur: Frame | undefined;
  let rootName: string | undefined;
  let rootValue: unknown;
  const attach = (parent: Frame | undefined, name: string, path: string, value: unknown) => {
    if (!parent) {
      if (rootName !== undefined) throw new Error("expected exactly one root element");
      rootName = name;
      rootValue = value;
      return;
    }
    const obj = (parent.obj ??= {});
    const existing = obj[name];
    if (listPaths.has(path)) {
      if (existing === undefined) obj[name] = [value];
      else (existing as unknown[]).push(value);
    } else if (existing === undefined) obj[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else obj[name] = [existing, value];
  };
  while (i < n) {
    const lt = text.indexOf("<", i);
    const end = lt === -1 ? n : lt;
    if (end > i) {
      if (cur) cur.text += text.slice(i, end);
      else if (text.slice(i, end).trim() !== "") throw new Error("text outside the root element");
    }
    if (lt === -1) break;
    const c = text.charCodeAt(lt + 1);
    if (c === 0x21 /* ! */) {
      if (text.startsWith("<![CDATA[", lt)) {
        const close = text.indexOf("]]>", lt + 9);
        if (close === -1 || !cur) throw new Error("unterminated or misplaced CDATA");
        cur.text += text.slice(lt + 9, close);
        i = close + 3;
        continue;
      }
      if (text.startsWith("<!--", lt)) {
        const close = text.indexOf("-->", lt + 4);
        if (close === -1) throw new Error("unterminated comment");
        i = close + 3;
        continue;
      }
      throw new Error("markup declarations are not allowed");
    }
    if (c === 0x3f /* ? */) {
      const close = text.indexOf("?>", lt + 2);
      if (close === -1) throw new Error("unterminated processing instruction");
      i = close + 2;
      continue;
    }
    if (c === 0x2f /* / */) {
      const gt = text.indexOf(">", lt + 2);
      if (gt === -1) throw new Error("unterminated end tag");
      const name = text.slice(lt + 2, gt).trimEnd();
      if (!cur || name !== cur.name) throw new Error(`unexpected </${name}>`);
      const t = cur.text.trim();
      let value: unknown = t;
      if (cur.obj) {
        if (t !== "") cur.obj["#text"] = t;
        value = cur.obj;
      }
      const done = cur;
      cur = stack.pop();
      attach(cur, done.name, done.path, value);
      i = gt + 1;
      continue;
    }
    let j = lt + 1;
    while (j < n) {
      const ch = text.charCodeAt(j);
      if (ch < 128 && NAME_CHAR[ch] === 0) break;
      j++;
    }
    const name = text.slice(lt + 1, j);
    if (name === "" || UNSAFE_NAMES.has(name)) throw new Error("bad element name");
    let k = j;
    let quote = 0;
    for (; k < n; k++) {
      const ch = text.charCodeAt(k);
      if (quote) {
        if (ch === quote) quote = 0;
      } else if (ch === 0x22 || ch === 0x27) quote = ch;
      else if (ch === 0x3e) break;
    }
    if (k >= n) throw new Error("unterminated start tag");
    const path = cur ? `${cur.path}.${name}` : name;
    if (text.charCodeAt(k - 1) === 0x2f) attach(cur, name, path, "");
    else {
      if (stack.length >= maxDepth) throw new Error("too deeply nested");
      stack.push(cur);
      cur = { name, path, obj: undefined, text: "" };
    }
    i = k + 1;
  }
  if (cur) throw new Error(`unclosed <${cur.name}>`);
  if (rootName === undefined) throw new Error("no root element");
  return { root: rootName, value: rootValue };
}

const KNOWN = new Set(requestParams.map((p) => p.name));
const NO_LISTS: ReadonlySet<string> = new Set();
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** worker/src/protocol/envelope.ts readEnvelopeBody, with scanXml. */
export function readEnvelopeCandidate(text: string): Record<string, string> {
  const first = text.trimStart()[0];
  const value =
    first === "<"
      ? (() => {
          const doc = scanXml(text, NO_LISTS);
          if (doc.root !== "root") throw new Error("root must be <root>");
          return doc.value;
        })()
      : parseJson(text);
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (!KNOWN.has(k) || v === undefined || v === null) continue;
    params[k] = typeof v === "string" ? v : String(v);
  }
  return params;
}

/** worker/src/protocol/payload.ts decodePayload, with scanXml. */
export function decodePayloadCandidate(
  bytes: Uint8Array,
  def: ServiceDefinition,
  kind: "request" | "response",
): unknown {
  const text = utf8.decode(bytes);
  if (text.trim() === "") throw new Error("empty");
  if (text.trimStart()[0] === "<") {
    const doc = scanXml(text, def.listPaths);
    if (doc.root !== kind) throw new Error(`root must be <${kind}>`);
    return doc.value;
  }
  let value = parseJson(text);
  if (value && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 1 && kind in value) {
    const inner = (value as Record<string, unknown>)[kind];
    value = Array.isArray(inner) && inner.length === 1 ? inner[0] : inner;
  }
  return value;
}
