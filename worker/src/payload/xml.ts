import { XMLParser, XMLValidator } from "fast-xml-parser";
import type { Shape } from "../../../generated/registry.js";
import { hasOneRoot, xmlReferenceDecoder } from "../../../runtime/xml-references.js";
import { fieldOf, isObject } from "../lib/object.js";

export class XmlError extends Error {
  override name = "XmlError";
}

// Untrusted XML: no DOCTYPE at all (it is how entity-expansion bombs and external entities arrive), values kept as
// text (the generated validators coerce them), a shallow nesting limit. Without a DOCTYPE no entity can be declared,
// so decoding is exactly XML's own (runtime/xml-references.ts). Signatures and length checks see the decoded text.
const DOCTYPE = /<!DOCTYPE/i;
const MAX_DEPTH = 16;
const NO_LISTS: ReadonlySet<string> = new Set();

const parsers = new Map<ReadonlySet<string>, XMLParser>();

function parserFor(listPaths: ReadonlySet<string>): XMLParser {
  let parser = parsers.get(listPaths);
  if (!parser) {
    // jPath: false hands isArray a live matcher (its toString is the path) instead of a path string built for every element (~25% of the
    // parse on a 100-order reply); the path is only spelled out for tags that end some list path.
    const listTags = new Set([...listPaths].map((path) => path.slice(path.lastIndexOf(".") + 1)));
    parser = new XMLParser({
      ignoreAttributes: true,
      ignoreDeclaration: true,
      ignorePiTags: true,
      parseTagValue: false,
      trimValues: true,
      processEntities: true,
      entityDecoder: xmlReferenceDecoder,
      maxNestedTags: MAX_DEPTH,
      jPath: false,
      isArray: (tag, matcher) => listTags.has(tag) && listPaths.has(matcher.toString()),
    });
    parsers.set(listPaths, parser);
  }
  return parser;
}

// SOAP carries the envelope as escaped text (&lt;root&gt;…).
const soapParser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  entityDecoder: xmlReferenceDecoder,
  maxNestedTags: MAX_DEPTH,
});

// XMLValidator's codes, worded without its message: that quotes tag names and text from the document.
const PROBLEMS: Record<string, string> = {
  InvalidXml: "not well-formed",
  InvalidTag: "a tag is malformed, unclosed or mismatched",
  InvalidAttr: "an attribute is malformed",
  InvalidChar: "a character is not allowed here",
};

/**
 * Parses one XML document and returns its root element's name and content. Errors say what is wrong and where
 * (line and column), never the text there: a payload may hold patient data.
 */
export function parseXmlDocument(
  text: string,
  listPaths: ReadonlySet<string> = NO_LISTS,
  options: { soap?: boolean } = {},
): { root: string; value: unknown } {
  if (DOCTYPE.test(text)) throw new XmlError("DOCTYPE is not allowed");
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { code, line, col } = valid.err;
    throw new XmlError(`malformed XML at line ${line}, column ${col}: ${PROBLEMS[code] ?? "not well-formed"}`);
  }
  let doc: Record<string, unknown>;
  try {
    doc = (options.soap ? soapParser : parserFor(listPaths)).parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : "";
    // fast-xml-parser refuses exactly the names JSON's parse refuses as keys; the name comes from that fixed list.
    const reserved = /^\[SECURITY\] Invalid name: "(__proto__|constructor|prototype)"/i.exec(message)?.[1];
    throw new XmlError(
      reserved
        ? `forbidden element ${reserved} (__proto__, constructor and prototype are refused)`
        : /nest/i.test(message)
          ? `XML nested deeper than ${MAX_DEPTH} levels`
          : "malformed XML",
    );
  }
  const roots = Object.keys(doc);
  if (!hasOneRoot(doc)) throw new XmlError(roots.length === 0 ? "no root element" : "more than one root element");
  return { root: roots[0]!, value: doc[roots[0]!] };
}

// A CDATA section cannot hold "]]>": split it across two sections. (Checked first: replaceAll on every leaf of a
// 100-order reply costs ~20% of writeXml even when, as always in practice, there is nothing to replace.)
const cdata = (value: string): string =>
  `<![CDATA[${value.includes("]]>") ? value.replaceAll("]]>", "]]]]><![CDATA[>") : value}]]>`;

/**
 * Writes a payload as the standard wants it: elements in the table's order, every value in CDATA (§1.3), no
 * whitespace between elements (the seed's reply ciphertext is of exactly that form). A direct writer rather
 * than fast-xml-parser's XMLBuilder: the tree is known from the registry and every leaf is CDATA, which would
 * need the tree rebuilt into the builder's {__cdata} shape first.
 */
export function writeXml(root: string, shape: Shape, value: object): string {
  return `<${root}>${writeFields(shape, value)}</${root}>`;
}

function writeFields(shape: Shape, value: object): string {
  let out = "";
  for (const [name, children] of shape) {
    const v = fieldOf(value, name);
    if (v === undefined || v === null) continue;
    if (children) {
      for (const item of Array.isArray(v) ? v : [v])
        if (isObject(item)) out += `<${name}>${writeFields(children, item)}</${name}>`;
    } else {
      out += `<${name}>${cdata(String(v))}</${name}>`;
    }
  }
  return out;
}

/** Envelope-level XML: <?xml?> declaration (§1.3 requires it) and a flat <root> of CDATA values. */
export function writeXmlEnvelope(params: ReadonlyArray<readonly [string, string]>): string {
  let out = '<?xml version="1.0" encoding="utf-8"?><root>';
  for (const [k, v] of params) out += `<${k}>${cdata(v)}</${k}>`;
  return `${out}</root>`;
}
