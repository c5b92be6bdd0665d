import type { Project } from "ts-morph";
import { allowedValues } from "../lib/enum-values.js";
import { header, type OutputFile } from "../lib/header.js";
import type { Dictionary, Field, Service, Spec } from "../lib/model.js";
import { dictionaryTypeName, jsdocLines, payloadTypeName, type PayloadKind } from "../lib/naming.js";
import { printed } from "../lib/project.js";

function typedFieldType(f: Field, dictionaries: Map<string, Dictionary>, itemType: string): string {
  if (f.type === "list") return `${itemType}[]`;
  if (f.dictionary && f.type !== "String") {
    // extraValues widen the dictionary (GetScheduleTimeInfo noon = -1, 全天时段).
    const extra = (f.extraValues ?? []).map((v) => JSON.stringify(v.value));
    return [`E.${dictionaryTypeName(dictionaries.get(f.dictionary)!)}`, ...extra].join(" | ");
  }
  const values = allowedValues(f, dictionaries);
  if (values) return values.map((v) => JSON.stringify(v.value)).join(" | ");
  return f.type === "String" ? "string" : "number";
}

/** TypeScript types of every business payload: typed (what the HIS sees) and wire-level (text, as on the wire). */
export function emitTypes(spec: Spec, project: Project): OutputFile[] {
  const dictionaries = new Map(spec.dictionaries.map((d) => [d.name, d]));
  const file = project.createSourceFile("types.ts", "", { overwrite: true });
  file.addImportDeclaration({ isTypeOnly: true, namespaceImport: "E", moduleSpecifier: "./enums.js" });

  const addPayload = (service: Service, kind: PayloadKind, fields: Field[], listPath: string[], doc: string) => {
    const name = payloadTypeName(service, kind, listPath);
    for (const f of fields) {
      if (f.type === "list") addPayload(service, kind, f.fields!, [...listPath, f.name], `${f.description.trim()}`);
    }
    file.addInterface({
      name,
      isExported: true,
      docs: [doc],
      properties: fields.map((f) => ({
        name: f.name,
        hasQuestionToken: !f.required,
        type: typedFieldType(f, dictionaries, payloadTypeName(service, kind, [...listPath, f.name])),
        docs: [jsdocLines(f).join("\n")],
      })),
    });
    file.addInterface({
      name: `${name}Wire`,
      isExported: true,
      docs: [`${doc} (wire text, as carried in XML and the platform's JSON)`],
      properties: fields.map((f) => ({
        name: f.name,
        hasQuestionToken: !f.required,
        type: f.type === "list" ? `${payloadTypeName(service, kind, [...listPath, f.name])}Wire[]` : "string",
      })),
    });
  };

  for (const s of spec.services) {
    addPayload(s, "request", s.request.fields, [], `${s.name} ${s.title} — business request (§${s.section})`);
    if (s.response)
      addPayload(s, "response", s.response.fields, [], `${s.name} ${s.title} — business response (§${s.section})`);
    else {
      file.addTypeAlias({
        name: payloadTypeName(s, "response"),
        isExported: true,
        type: "Record<string, never>",
        docs: [`${s.name} has no business response (the seed says 无).`],
      });
    }
  }

  file.addInterface({
    name: "ServicePayloads",
    isExported: true,
    docs: ["Request and response type of every service, by service name."],
    properties: spec.services.map((s) => ({
      name: s.name,
      type: `{ request: ${payloadTypeName(s, "request")}; response: ${payloadTypeName(s, "response")} }`,
    })),
  });
  file.addTypeAlias({ name: "ServiceName", isExported: true, type: "keyof ServicePayloads" });
  return [{ name: "types.ts", content: printed(file, header("types", "spec/services/*.yaml")) }];
}
