// Bodies to the HIS and answers from it: JSON, form-urlencoded, XML (root, element names, CDATA or not) and
// SOAP 1.1; answers parsed with fast-xml-parser (no DOCTYPE, the five predefined entities only, shallow).
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { hasOneRoot, xmlReferenceDecoder } from "../xml-references.js";
import { UNMAPPED } from "./values.js";

/** The HIS answer is not what the profile says it is (not JSON, not XML, no SOAP result). */
export class AnswerFormatError extends Error {
  override name = "AnswerFormatError";
}

/** The profile could not express a request value (a value map without the standard's value). */
export class RequestMappingError extends Error {
  override name = "RequestMappingError";
}

export type Fields = { [name: string]: unknown };

/** Drops absent values, refuses UNMAPPED ones (the request was valid, so the profile lacks a mapping). */
function clean(v: unknown, path: string): unknown {
  if (v === UNMAPPED) throw new RequestMappingError(`the profile maps no HIS value for ${path}`);
  if (Array.isArray(v)) return v.map((x, i) => clean(x, `${path}[${i}]`));
  if (typeof v === "object" && v !== null) {
    const out: Fields = {};
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined) continue;
      out[k] = clean(x, path ? `${path}.${k}` : k);
    }
    return out;
  }
  return v;
}

export const json = (body: Fields): string => JSON.stringify(clean(body, ""));

/** form-urlencoded; nested objects flatten to dotted names, lists repeat the name. */
export function form(body: Fields): string {
  const params = new URLSearchParams();
  const put = (prefix: string, v: unknown): void => {
    if (Array.isArray(v)) for (const x of v) put(prefix, x);
    else if (typeof v === "object" && v !== null)
      for (const [k, x] of Object.entries(v)) put(prefix ? `${prefix}.${k}` : k, x);
    else if (v !== undefined) params.append(prefix, String(v));
  };
  put("", clean(body, ""));
  return params.toString();
}

const escapeText = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const cdataText = (s: string): string => `<![CDATA[${s.replaceAll("]]>", "]]]]><![CDATA[>")}]]>`;

function elements(v: Fields, cdata: boolean): string {
  let out = "";
  for (const [name, x] of Object.entries(v)) {
    for (const item of Array.isArray(x) ? x : [x]) {
      if (item === undefined) continue;
      if (typeof item === "object" && item !== null) out += `<${name}>${elements(item as Fields, cdata)}</${name}>`;
      else out += `<${name}>${cdata ? cdataText(String(item)) : escapeText(String(item))}</${name}>`;
    }
  }
  return out;
}

export interface XmlOptions {
  readonly root: string;
  readonly cdata: boolean;
  readonly declaration: boolean;
}

/** An XML document: the root, one element per field in the mapping's order, text in CDATA or escaped. */
export function xml(body: Fields, o: XmlOptions): string {
  const doc = `<${o.root}>${elements(clean(body, "") as Fields, o.cdata)}</${o.root}>`;
  return o.declaration ? `<?xml version="1.0" encoding="utf-8"?>${doc}` : doc;
}

export interface SoapOptions {
  readonly namespace: string;
  readonly operation: string;
}

/** A SOAP 1.1 request: one operation element in the service's namespace, its arguments as escaped text. */
export function soap(args: readonly (readonly [name: string, value: unknown])[], o: SoapOptions): string {
  let inner = "";
  for (const [name, value] of args) if (value !== undefined) inner += `<${name}>${escapeText(String(value))}</${name}>`;
  return (
    `<?xml version="1.0" encoding="utf-8"?>` +
    `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">` +
    `<soap:Body><${o.operation} xmlns="${escapeText(o.namespace)}">${inner}</${o.operation}></soap:Body></soap:Envelope>`
  );
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AnswerFormatError("the HIS answer is not JSON");
  }
}

const DOCTYPE = /<!DOCTYPE/i;
const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  // XML's own references, read as the gateway reads the platform's XML: a DOCTYPE is refused, so none is declared.
  processEntities: true,
  entityDecoder: xmlReferenceDecoder,
  maxNestedTags: 24,
});

/** The root element's content of an XML answer (names as the HIS spells them; one child is an object). */
export function parseXml(text: string): unknown {
  if (DOCTYPE.test(text)) throw new AnswerFormatError("the HIS answer has a DOCTYPE");
  if (XMLValidator.validate(text) !== true) throw new AnswerFormatError("the HIS answer is not well-formed XML");
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(text) as Record<string, unknown>;
  } catch {
    throw new AnswerFormatError("the HIS answer is not well-formed XML");
  }
  if (!hasOneRoot(doc)) throw new AnswerFormatError("the HIS answer must have exactly one root element");
  const roots = Object.keys(doc);
  return doc[roots[0]!];
}

/** The text of a SOAP 1.1 answer's result element (`<CallResult>` inside `<CallResponse>`), a fault refused. */
export function soapResult(text: string, result: string): string {
  const envelope = parseXml(text) as Record<string, unknown> | string;
  const body =
    typeof envelope === "object" && envelope !== null ? (envelope["Body"] as Record<string, unknown>) : undefined;
  if (typeof body !== "object" || body === null) throw new AnswerFormatError("the SOAP answer has no Body");
  if ("Fault" in body) throw new AnswerFormatError("the HIS answered a SOAP fault");
  for (const response of Object.values(body)) {
    if (typeof response === "object" && response !== null && Object.hasOwn(response, result)) {
      const value = (response as Record<string, unknown>)[result];
      return typeof value === "string" ? value : "";
    }
  }
  throw new AnswerFormatError(`the SOAP answer has no ${result}`);
}

/** Data the HIS gives as a JSON or XML string inside its envelope (encoded twice). */
export function decodeData(v: unknown, as: "json" | "xml"): unknown {
  if (typeof v !== "string") return v;
  const t = v.trim();
  if (t === "") return undefined;
  return as === "json" ? parseJson(t) : parseXml(t);
}

/** A path segment from a request value. */
export const segment = (v: unknown): string => encodeURIComponent(v === undefined || v === null ? "" : String(v));

/** A query string from mapped fields ("" when none). */
export function query(fields: Fields): string {
  const q = form(fields);
  return q ? `?${q}` : "";
}
