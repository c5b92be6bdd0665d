import { VariableDeclarationKind, type Project } from "ts-morph";
import { header, type OutputFile } from "../lib/header.js";
import type { Spec } from "../lib/model.js";
import { dictionaryConstName, dictionaryTypeName } from "../lib/naming.js";
import { printed } from "../lib/project.js";

/** Const objects for every dictionary (chapter 3) and the unified result codes (§2.3), with their labels. */
export function emitEnums(spec: Spec, project: Project): OutputFile[] {
  const file = project.createSourceFile("enums.ts", "", { overwrite: true });
  for (const d of spec.dictionaries) {
    file.addVariableStatement({
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: [`${d.title} (${d.titleEn})${d.description ? `\n${d.description.trim()}` : ""}`],
      declarations: [
        {
          name: dictionaryConstName(d),
          initializer: `{ name: ${JSON.stringify(d.name)}, title: ${JSON.stringify(d.title)}, titleEn: ${JSON.stringify(
            d.titleEn,
          )}, labels: {${d.values.map((v) => `${JSON.stringify(String(v.value))}: ${JSON.stringify(v.label)}`).join(", ")}} } as const`,
        },
      ],
    });
    file.addTypeAlias({
      name: dictionaryTypeName(d),
      isExported: true,
      type: d.values.map((v) => JSON.stringify(v.value)).join(" | "),
    });
  }
  file.addVariableStatement({
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    docs: ["Every dictionary, by its spec name."],
    declarations: [
      {
        name: "dictionaries",
        initializer: `{ ${spec.dictionaries.map((d) => `${d.name}: ${dictionaryConstName(d)}`).join(", ")} } as const`,
      },
    ],
  });
  file.addVariableStatement({
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    docs: ["接口统一返回码 — the unified result codes of §2.3."],
    declarations: [
      {
        name: "ResultCode",
        initializer: `{ ${spec.resultCodes.map((c) => `${c.code}: ${JSON.stringify(c.code)}`).join(", ")} } as const`,
      },
    ],
  });
  file.addTypeAlias({ name: "ResultCode", isExported: true, type: "(typeof ResultCode)[keyof typeof ResultCode]" });
  file.addVariableStatement({
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    docs: ["The seed's resultMessage for each unified code, with an English label."],
    declarations: [
      {
        name: "resultCodeMessages",
        type: "Record<ResultCode, { message: string; messageEn: string }>",
        initializer: `{ ${spec.resultCodes
          .map(
            (c) =>
              `${c.code}: { message: ${JSON.stringify(c.message)}, messageEn: ${JSON.stringify(c.messageEn ?? c.code)} }`,
          )
          .join(", ")} }`,
      },
    ],
  });
  return [
    { name: "enums.ts", content: printed(file, header("enums", "spec/dictionaries.yaml and spec/result-codes.yaml")) },
  ];
}
