// The "general-purpose parts" baseline: what the gateway's payload work would cost built from off-the-shelf
// pieces instead of the generated validators and the direct XML writer:
//   - ajv, compiling the payload's JSON Schema from generated/openapi.json (the HIS-facing, typed contract),
//     adapted to the platform's wire text: coerceTypes turns "1000" into 1000 (and a number back into a string
//     where the schema says string), and for XML a list node may also be a single object (one occurrence);
//   - fast-xml-parser with its DEFAULT options: new XMLParser() and new XMLBuilder(), no tuning;
//   - JSON.parse / JSON.stringify for JSON.
// Crypto is the same node:crypto calls as the floor: the baseline differs only where general-purpose parts
// replace the gateway's own.
import { readFileSync } from "node:fs";
import Ajv, { type ValidateFunction } from "ajv";
import { XMLBuilder, XMLParser } from "fast-xml-parser";

const OPENAPI_ID = "https://hisgate.bench/openapi.json";

type Schema = Record<string, unknown>;

/** A list node in XML parses as one object when it occurs once: accept the item as well as the array. */
function adaptForXml(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(adaptForXml);
  if (typeof node !== "object" || node === null) return node;
  const out: Schema = {};
  for (const [k, v] of Object.entries(node)) out[k] = adaptForXml(v);
  if (out.type === "array" && out.items) {
    const { description, ...array } = out;
    return { ...(description ? { description } : {}), anyOf: [array, out.items] };
  }
  return out;
}

function makeAjv(components: Schema): Ajv {
  const ajv = new Ajv({
    strict: false,
    coerceTypes: true,
    validateFormats: false,
    multipleOfPrecision: 6,
  });
  ajv.addSchema({ $id: OPENAPI_ID, components }, OPENAPI_ID);
  return ajv;
}

const openapi = JSON.parse(readFileSync(new URL("../generated/openapi.json", import.meta.url), "utf8")) as {
  components: { schemas: Schema };
};
const ajvJson = makeAjv(openapi.components);
const ajvXml = makeAjv(adaptForXml(openapi.components) as Schema);

/** The compiled ajv validator of one payload schema (e.g. QueryRegisterResponse). */
export function ajvValidator(schemaName: string, format: "xml" | "json"): ValidateFunction {
  const ajv = format === "xml" ? ajvXml : ajvJson;
  const id = `${OPENAPI_ID}#/components/schemas/${schemaName}`;
  return ajv.getSchema(id) ?? ajv.compile({ $ref: id });
}

export const defaultXmlParser = new XMLParser();
export const defaultXmlBuilder = new XMLBuilder();
