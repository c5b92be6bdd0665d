import openapiTS, { astToString } from "openapi-typescript";
import { FORMATS } from "../../runtime/formats.js";
import { allowedValues } from "../lib/enum-values.js";
import { header, type OutputFile } from "../lib/header.js";
import type { Dictionary, Field, Service, Spec } from "../lib/model.js";
import { dictionaryTypeName, payloadTypeName, type PayloadKind } from "../lib/naming.js";

type Schema = Record<string, unknown>;

function fieldSchema(f: Field, dictionaries: Map<string, Dictionary>, listItemRef: string): Schema {
  if (f.type === "list") return { type: "array", description: f.description, items: { $ref: listItemRef } };
  const s: Schema = { description: f.description };
  if (f.type === "String") {
    s.type = "string";
    if (f.maxLength) s.maxLength = f.maxLength;
  } else if (f.type === "Decimal") {
    s.type = "number";
    s["x-decimal"] = { precision: f.precision, scale: f.scale };
    s.multipleOf = 1 / 10 ** f.scale!;
  } else {
    s.type = "integer";
    s.format = f.type === "Int" ? "int32" : "int64";
  }
  if (f.format) {
    s.pattern = FORMATS[f.format].pattern;
    s["x-format"] = f.format;
    s.examples = [FORMATS[f.format].example];
  }
  if (f.unit) s["x-unit"] = f.unit;
  if (typeof f.minimum === "number") s.minimum = f.minimum;
  const values = allowedValues(f, dictionaries);
  if (f.dictionary && f.type !== "String" && !f.extraValues) {
    return {
      ...s,
      type: undefined,
      $ref: `#/components/schemas/${dictionaryTypeName(dictionaries.get(f.dictionary)!)}`,
    };
  }
  if (values) {
    s.enum = values.map((v) => v.value);
    s["x-enum-descriptions"] = values.map((v) => v.label);
  }
  return s;
}

function payloadSchemas(
  service: Service,
  kind: PayloadKind,
  fields: Field[],
  dictionaries: Map<string, Dictionary>,
  out: Record<string, Schema>,
  path: string[] = [],
) {
  const name = payloadTypeName(service, kind, path);
  const properties: Record<string, Schema> = {};
  for (const f of fields) {
    const itemName = payloadTypeName(service, kind, [...path, f.name]);
    properties[f.name] = fieldSchema(f, dictionaries, `#/components/schemas/${itemName}`);
    if (f.type === "list") payloadSchemas(service, kind, f.fields!, dictionaries, out, [...path, f.name]);
  }
  const required = fields.filter((f) => f.required).map((f) => f.name);
  out[name] = { type: "object", properties, ...(required.length ? { required } : {}) };
}

function buildDocument(spec: Spec): Schema {
  const dictionaries = new Map(spec.dictionaries.map((d) => [d.name, d]));
  const schemas: Record<string, Schema> = {};
  for (const d of spec.dictionaries) {
    schemas[dictionaryTypeName(d)] = {
      title: `${d.title} (${d.titleEn})`,
      ...(d.valueType === "Int" ? { type: "integer" } : { type: "string" }),
      enum: d.values.map((v) => v.value),
      "x-enum-descriptions": d.values.map((v) => v.label),
      ...(d.description ? { description: d.description } : {}),
    };
  }
  const unified = spec.resultCodes.map((c) => c.code);
  schemas.ResultCode = {
    type: "string",
    description:
      "SUCCESS, a unified code of §2.3, or a business code of the service (S… from the hospital, A… from the platform).",
    examples: unified,
    "x-enum-descriptions": spec.resultCodes.map((c) => `${c.code}: ${c.message}`),
  };
  schemas.ErrorReply = {
    type: "object",
    required: ["resultCode", "resultMessage"],
    properties: {
      resultCode: { $ref: "#/components/schemas/ResultCode" },
      resultMessage: { type: "string", maxLength: 128 },
      errors: {
        type: "array",
        description: "Every failing field path, for validation errors (ILLEGAL_ARGUMENT).",
        items: {
          type: "object",
          required: ["path", "message"],
          properties: { path: { type: "string" }, message: { type: "string" }, messageEn: { type: "string" } },
        },
      },
    },
  };

  const paths: Record<string, Schema> = {};
  for (const s of spec.services) {
    payloadSchemas(s, "request", s.request.fields, dictionaries, schemas);
    if (s.response) payloadSchemas(s, "response", s.response.fields, dictionaries, schemas);
    const replyName = `${s.name}Reply`;
    schemas[replyName] = {
      type: "object",
      required: ["resultCode", "resultMessage"],
      properties: {
        resultCode: { $ref: "#/components/schemas/ResultCode" },
        resultMessage: { type: "string", maxLength: 128 },
        ...(s.response ? { data: { $ref: `#/components/schemas/${payloadTypeName(s, "response")}` } } : {}),
        ...Object.fromEntries(
          (s.response?.fields ?? [])
            .filter((f) => f.csv)
            .map((f) => [
              `${f.name}Rows`,
              {
                type: "array",
                description: `data.${f.name} parsed: one object per row, keyed by the header line.`,
                items: { type: "object", additionalProperties: { type: "string" } },
              },
            ]),
        ),
      },
    };
    const codes = s.resultCodes.map((c) => `| ${c.code} | ${c.message} |`).join("\n");
    const hospital = s.direction === "platformToHospital";
    paths[hospital ? `/${s.name}` : `/platform/${s.name}`] = {
      post: {
        operationId: s.name,
        summary: `${s.title} (${s.titleEn})`,
        tags: [hospital ? "HIS (implemented by the hospital)" : "Platform (called by the hospital through hisgate)"],
        description: [
          s.description.trim(),
          "",
          `Seed §${s.section}; wire name \`${s.wireName}\`${s.aliases.length ? ` (also ${s.aliases.join(", ")})` : ""}.`,
          hospital
            ? "hisgate POSTs the verified, decrypted and validated business request here as typed JSON; the HIS answers `{resultCode, resultMessage, data}`."
            : "The HIS POSTs plain JSON here with `Authorization: Bearer <hisToken>`; hisgate signs, encrypts, calls the platform, verifies and decrypts its answer.",
          ...(codes ? ["", "| resultCode | resultMessage |", "|---|---|", codes] : []),
        ].join("\n"),
        ...(hospital ? {} : { security: [{ hisToken: [] }] }),
        requestBody: {
          required: true,
          content: {
            "application/json": { schema: { $ref: `#/components/schemas/${payloadTypeName(s, "request")}` } },
          },
        },
        responses: {
          "200": {
            description: "SUCCESS with data, or a business/unified result code with its message.",
            content: { "application/json": { schema: { $ref: `#/components/schemas/${replyName}` } } },
          },
          ...(hospital
            ? {}
            : {
                "400": {
                  description: "The body failed validation; the platform was not called.",
                  content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorReply" } } },
                },
                "401": {
                  description: "Missing or unknown hisToken.",
                  content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorReply" } } },
                },
              }),
        },
      },
    };
  }

  return {
    openapi: "3.1.0",
    info: {
      title: "hisgate HIS contract",
      version: "1.0.0",
      description:
        "The plain-JSON contract between hisgate and a hospital's HIS. Generated by hisgate codegen (codegen/emitters/openapi.ts) from spec/. DO NOT EDIT.\n\nPaths without /platform are implemented by the HIS at its hisUrl; /platform paths are served by hisgate for the HIS to call the platform.",
    },
    servers: [{ url: "{hisUrl}", variables: { hisUrl: { default: "http://his.internal/api" } } }],
    paths,
    components: {
      schemas,
      securitySchemes: { hisToken: { type: "http", scheme: "bearer", description: "The tenant's hisToken." } },
    },
  };
}

/** The OpenAPI 3.1 document of the HIS contract, and its TypeScript types from openapi-typescript. */
export async function emitOpenApi(spec: Spec): Promise<OutputFile[]> {
  const doc = buildDocument(spec);
  const ast = await openapiTS(doc as never, { exportType: true });
  return [
    { name: "openapi.json", content: `${JSON.stringify(doc, null, 2)}\n` },
    {
      name: "openapi.d.ts",
      content: header("openapi", "generated/openapi.json via openapi-typescript") + astToString(ast),
    },
  ];
}
