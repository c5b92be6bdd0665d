// KY-HIS's XML, read and written with fast-xml-parser: every value as text, namespace prefixes dropped (SOAP), empty
// elements written as <X/> (its "no value").
import { XMLBuilder, XMLParser, XMLValidator } from "fast-xml-parser";
import { ParamError } from "./wire.js";

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
});

const builder = new XMLBuilder({ format: false, suppressEmptyNode: true, ignoreAttributes: false });

export const DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';

/** Parses a well-formed document without a DTD (KY-HIS takes no entity declarations). */
export function readXml(text: string): Record<string, unknown> {
  if (/<!DOCTYPE/i.test(text)) throw new ParamError("不支持 DTD");
  if (XMLValidator.validate(text) !== true) throw new ParamError("XML 格式错误");
  const doc: unknown = parser.parse(text);
  if (typeof doc !== "object" || doc === null) throw new ParamError("XML 格式错误");
  return doc as Record<string, unknown>;
}

/** The element's children as an object ("" for an empty element becomes {}), else undefined. */
export function childrenOf(value: unknown): Record<string, unknown> | undefined {
  if (value === "") return {};
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export const writeXml = (doc: Record<string, unknown>): string => builder.build(doc) as string;
