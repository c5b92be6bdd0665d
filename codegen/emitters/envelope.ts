import { VariableDeclarationKind, type Project } from "ts-morph";
import { header, type OutputFile } from "../lib/header.js";
import type { EnvelopeParam, Spec } from "../lib/model.js";
import { printed } from "../lib/project.js";

const params = (list: EnvelopeParam[]): string =>
  `[${list
    .map(
      (p) =>
        `{ name: ${JSON.stringify(p.name)}, maxLength: ${p.maxLength ?? "undefined"}, required: ${p.required}, signed: ${p.signed}, values: ${
          p.values ? JSON.stringify(p.values.map((v) => v.value)) : "undefined"
        } }`,
    )
    .join(", ")}]`;

/** The base (envelope) parameters of §1.4: which exist, which are signed, their limits. */
export function emitEnvelope(spec: Spec, project: Project): OutputFile[] {
  const file = project.createSourceFile("envelope.ts", "", { overwrite: true });
  file.addInterface({
    name: "EnvelopeParam",
    isExported: true,
    properties: [
      { name: "name", type: "string" },
      { name: "maxLength", type: "number | undefined" },
      { name: "required", type: "boolean" },
      { name: "signed", type: "boolean", docs: ["sign and signType are not signed (§4.1.1)."] },
      { name: "values", type: "readonly string[] | undefined" },
    ],
  });
  for (const [name, list, doc] of [
    ["requestParams", spec.envelope.request, "基本请求参数"],
    ["responseParams", spec.envelope.response, "基本返回参数"],
  ] as const) {
    file.addVariableStatement({
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: [doc],
      declarations: [{ name, type: "readonly EnvelopeParam[]", initializer: params(list) }],
    });
  }
  return [{ name: "envelope.ts", content: printed(file, header("envelope", "spec/envelope.yaml")) }];
}
