// The HIS contract as the docs page reads it: generated/openapi.json, bundled into the worker, in the registry's
// (the seed's) order of sections. Nothing here is written by hand: every title, field and code comes from the JSON.
import openapiJson from "../../../generated/openapi.json";
import { services, type Direction } from "../../../generated/registry.js";

export interface Schema {
  $ref?: string;
  title?: string;
  type?: string;
  format?: string;
  description?: string;
  enum?: (string | number)[];
  "x-enum-descriptions"?: string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  maxLength?: number;
  pattern?: string;
  "x-format"?: string;
  "x-unit"?: string;
  "x-decimal"?: { precision: number; scale: number };
  multipleOf?: number;
  examples?: unknown[];
}

interface MediaSchema {
  content?: Record<string, { schema?: Schema }>;
}

export interface Operation {
  operationId: string;
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  requestBody?: MediaSchema & { required?: boolean };
  responses?: Record<string, MediaSchema & { description?: string }>;
}

export interface OpenApiDoc {
  openapi: string;
  info: { title: string; version: string; description?: string };
  servers?: { url: string; variables?: Record<string, { default: string }> }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes?: Record<string, { description?: string }> };
}

// A JSON import is typed by its literal content, whose `$ref` and enum unions TypeScript widens past OpenApiDoc's;
// the file is generated/openapi.json, checked by codegen:check, so the shape is known.
export const openapi = openapiJson as unknown as OpenApiDoc;

export interface ContractService {
  operationId: string;
  method: string;
  path: string;
  op: Operation;
  direction: Direction;
  section: string;
  title: string;
  titleEn: string;
  wireName: string;
  aliases: readonly string[];
  /** The service's business result codes and messages, from the registry. */
  resultCodes: Readonly<Record<string, string>>;
}

/** "支付 (Pay)" -> ["支付", "Pay"]; the English part may itself hold parentheses. */
export function splitSummary(summary: string): [string, string] {
  const i = summary.indexOf(" (");
  if (i < 0 || !summary.endsWith(")")) return [summary, ""];
  return [summary.slice(0, i), summary.slice(i + 2, -1)];
}

function collect(): ContractService[] {
  const byId = new Map<string, { method: string; path: string; op: Operation }>();
  for (const [path, item] of Object.entries(openapi.paths))
    for (const [method, op] of Object.entries(item))
      byId.set(op.operationId, { method: method.toUpperCase(), path, op });
  const out: ContractService[] = [];
  for (const def of services) {
    const found = byId.get(def.name);
    if (!found) continue;
    byId.delete(def.name);
    out.push({
      operationId: def.name,
      ...found,
      direction: def.direction,
      section: def.section,
      title: def.title,
      titleEn: def.titleEn,
      wireName: def.wireName,
      aliases: def.aliases,
      resultCodes: def.resultCodes,
    });
  }
  // An operation the registry does not know still gets documented, after the others.
  for (const [operationId, found] of byId) {
    const [title, titleEn] = splitSummary(found.op.summary ?? operationId);
    out.push({
      operationId,
      ...found,
      direction: found.path.startsWith("/platform/") ? "hospitalToPlatform" : "platformToHospital",
      section: "",
      title,
      titleEn,
      wireName: operationId,
      aliases: [],
      resultCodes: {},
    });
  }
  return out;
}

export const contractServices: readonly ContractService[] = collect();

const REF = "#/components/schemas/";

export function refName(ref: string): string {
  return ref.startsWith(REF) ? ref.slice(REF.length) : ref;
}

/** A property with its $ref resolved: the target's keywords, overridden by the property's own. */
export function resolve(schema: Schema): { schema: Schema; ref?: string } {
  if (!schema.$ref) return { schema };
  const ref = refName(schema.$ref);
  const target = openapi.components.schemas[ref] ?? {};
  const { $ref: _ignored, ...own } = schema;
  return { schema: { ...target, ...own }, ref };
}

/** The JSON schema of a request body or of one response status. */
export function bodySchema(media: MediaSchema | undefined): Schema | undefined {
  return media?.content?.["application/json"]?.schema;
}

/** The search text of a service: what the filter box matches, lowercase. */
export function filterText(s: ContractService): string {
  const words = [s.operationId, s.wireName, ...s.aliases, s.title, s.titleEn, s.path, s.section];
  return [...new Set(words.map((w) => w.toLowerCase()).filter(Boolean))].join(" ");
}

/** Every whitespace-separated term of the query appears in the text (the page's script does the same). */
export function matches(text: string, query: string): boolean {
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((term) => text.includes(term));
}
