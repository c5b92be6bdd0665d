import { VariableDeclarationKind, type Project } from "ts-morph";
import { header, type OutputFile } from "../lib/header.js";
import type { Field, Spec } from "../lib/model.js";
import { printed } from "../lib/project.js";

/**
 * Per service, the top-level payload fields the message trail keeps (spec/trail.yaml's business ids that the
 * service's request and response actually carry as scalars). The trail reads only these names: a field not
 * listed here, a patient's name or card number, cannot reach it.
 */
export function emitTrail(spec: Spec, project: Project): OutputFile[] {
  const file = project.createSourceFile("trail.ts", "", { overwrite: true });
  file.addImportDeclaration({ isTypeOnly: true, namedImports: ["ServiceName"], moduleSpecifier: "./types.js" });
  const ids = spec.trail.businessIds.map((b) => b.name);
  file.addTypeAlias({
    name: "BusinessIdName",
    isExported: true,
    docs: ["A business id the trail keeps (spec/trail.yaml)."],
    type: ids.map((n) => JSON.stringify(n)).join(" | "),
  });
  file.addVariableStatement({
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    docs: ["Every business id, in spec/trail.yaml's order."],
    declarations: [{ name: "businessIdNames", type: "readonly BusinessIdName[]", initializer: JSON.stringify(ids) }],
  });
  const carried = (fields: Field[] | undefined): string[] =>
    (fields ?? []).filter((f) => f.type !== "list" && ids.includes(f.name)).map((f) => f.name);
  file.addVariableStatement({
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    docs: ["The business ids each service's request and response carry at the top level."],
    declarations: [
      {
        name: "businessIdFields",
        type: "Readonly<Record<ServiceName, { readonly request: readonly BusinessIdName[]; readonly response: readonly BusinessIdName[] }>>",
        initializer: `{${[...spec.services]
          .sort((a, b) => a.name.localeCompare(b.name))
          .map(
            (s) =>
              `${s.name}: { request: ${JSON.stringify(carried(s.request.fields))}, response: ${JSON.stringify(carried(s.response?.fields))} }`,
          )
          .join(",\n")}}`,
      },
    ],
  });
  return [{ name: "trail.ts", content: printed(file, header("trail", "spec/trail.yaml and spec/services/*.yaml")) }];
}
