import { VariableDeclarationKind, type Project } from "ts-morph";
import { allowedValues } from "../lib/enum-values.js";
import { header, type OutputFile } from "../lib/header.js";
import { ruleTarget } from "../lib/load-spec.js";
import type { Field, Rule, Service, Spec } from "../lib/model.js";
import { payloadTypeName, validatorName, type PayloadKind } from "../lib/naming.js";
import { printed } from "../lib/project.js";

/**
 * Straight-line validators, one per payload: no schema is interpreted at runtime and nothing is compiled with
 * eval (Workers forbid it while handling a request). Each node of the field tree becomes one function that
 * coerces wire text into typed values; identical nodes (the user-rule list recurs in many services) share one.
 */
export function emitValidators(spec: Spec, project: Project): OutputFile[] {
  const dictionaries = new Map(spec.dictionaries.map((d) => [d.name, d]));
  const file = project.createSourceFile("validators.ts", "", { overwrite: true });
  file.addImportDeclaration({ namespaceImport: "v", moduleSpecifier: "../runtime/validate.js" });
  file.addImportDeclaration({ isTypeOnly: true, namespaceImport: "T", moduleSpecifier: "./types.js" });

  const sets = new Map<string, string>(); // literal -> const name
  const setFor = (values: (string | number)[]): string => {
    const literal = `new Set<number | string>([${values.map((x) => JSON.stringify(x)).join(", ")}])`;
    if (!sets.has(literal)) sets.set(literal, `ALLOWED_${sets.size + 1}`);
    return sets.get(literal)!;
  };

  const nodeFns = new Map<string, string>(); // body -> function name
  const nodeOrder: { name: string; body: string }[] = [];

  const fieldCheck = (f: Field): string => {
    // Paths are built inside the helpers, and only on failure: the parent path and the name go separately.
    const at = `p, ${JSON.stringify(f.name)}`;
    const src = `s[${JSON.stringify(f.name)}]`;
    if (f.type === "list") {
      const child = nodeFunction(f.fields!);
      const itemPath = JSON.stringify(`.${f.name}[`);
      return [
        `a = v.list(${src}, ${at}, ${f.required}, e);`,
        `if (a !== undefined) {`,
        `  const items: v.Obj[] = new Array(a.length);`,
        `  for (let i = 0; i < a.length; i++) items[i] = ${child}(a[i]!, p + ${itemPath} + i + "]", e);`,
        `  o[${JSON.stringify(f.name)}] = items;`,
        `}`,
      ].join("\n");
    }
    const read =
      f.type === "String"
        ? `v.str(${src}, ${at}, ${f.required}, ${f.maxLength ?? "undefined"}, e)`
        : f.type === "Int"
          ? `v.int(${src}, ${at}, ${f.required}, e)`
          : f.type === "Long"
            ? `v.long(${src}, ${at}, ${f.required}, e)`
            : `v.decimal(${src}, ${at}, ${f.required}, ${f.precision}, ${f.scale}, e)`;
    const checks: string[] = ["x !== undefined"];
    if (typeof f.minimum === "number") checks.push(`v.atLeast(x as number, ${f.minimum}, ${at}, e)`);
    const values = allowedValues(f, dictionaries);
    if (values) checks.push(`v.oneOf(x, ${setFor(values.map((x) => x.value))}, ${at}, e)`);
    if (f.format) checks.push(`v.format(x as string, ${JSON.stringify(f.format)}, ${at}, e)`);
    return `x = ${read};\nif (${checks.join(" && ")}) o[${JSON.stringify(f.name)}] = x;`;
  };

  const nodeFunction = (fields: Field[]): string => {
    const needsList = fields.some((f) => f.type === "list");
    const needsScalar = fields.some((f) => f.type !== "list");
    const body = [
      "const o: v.Obj = {};",
      needsScalar ? "let x: string | number | undefined;" : "",
      needsList ? "let a: v.Obj[] | undefined;" : "",
      ...fields.map(fieldCheck),
      "return o;",
    ]
      .filter(Boolean)
      .join("\n");
    let name = nodeFns.get(body);
    if (!name) {
      name = `node${nodeFns.size + 1}`;
      nodeFns.set(body, name);
      nodeOrder.push({ name, body });
    }
    return name;
  };

  const ruleCheck = (service: Service, kind: PayloadKind, rule: Rule): string | undefined => {
    if (rule.kind === "note") return undefined;
    if (rule.kind === "requiredWhen") {
      const target = ruleTarget(service, rule.field)!;
      if (target.payload !== kind) return undefined;
      const when = ruleTarget(service, rule.when.field)!;
      const whenText = `${when.field.name}=${rule.when.in.join("/")}`;
      return [
        `if (${rule.when.in.map((x) => `o[${JSON.stringify(when.field.name)}] === ${JSON.stringify(x)}`).join(" || ")}) {`,
        `  if (!v.present(s[${JSON.stringify(target.field.name)}])) v.report(e, "requiredWhen", ${JSON.stringify(
          `${kind}.${target.field.name}`,
        )}, { when: ${JSON.stringify(whenText)} });`,
        "}",
      ].join("\n");
    }
    const targets = rule.fields.map((f) => ruleTarget(service, f)!);
    if (targets[0]!.payload !== kind) return undefined;
    return [
      `if (${targets.map((t) => `!v.present(s[${JSON.stringify(t.field.name)}])`).join(" && ")}) {`,
      `  v.report(e, "atLeastOne", ${JSON.stringify(`${kind}.${targets[0]!.field.name}`)}, { fields: ${JSON.stringify(
        targets.map((t) => t.field.name).join(", "),
      )} });`,
      "}",
    ].join("\n");
  };

  const validators: { name: string; type: string; body: string; doc: string }[] = [];
  for (const s of spec.services) {
    for (const kind of ["request", "response"] as const) {
      const payload = kind === "request" ? s.request : s.response;
      const typeName = `T.${payloadTypeName(s, kind)}`;
      const node = payload ? nodeFunction(payload.fields) : undefined;
      const rules = s.rules.map((r) => ruleCheck(s, kind, r)).filter((x): x is string => x !== undefined);
      const body = [
        "const e: v.Errors = [];",
        `const s = v.root(input, ${JSON.stringify(kind)}, e);`,
        "if (s === undefined) return { ok: false, errors: e };",
        node ? `const o = ${node}(s, ${JSON.stringify(kind)}, e);` : "const o: v.Obj = {};",
        ...rules,
        `return v.done<${typeName}>(e, o);`,
      ].join("\n");
      validators.push({
        name: validatorName(s, kind),
        type: typeName,
        body,
        doc: `${s.name} ${s.title}: validates and coerces the business ${kind} (§${s.section}).`,
      });
    }
  }

  for (const [literal, name] of sets) {
    file.addVariableStatement({
      declarationKind: VariableDeclarationKind.Const,
      declarations: [{ name, initializer: literal }],
    });
  }
  for (const { name, body } of nodeOrder) {
    file.addFunction({
      name,
      parameters: [
        { name: "s", type: "v.Obj" },
        { name: "p", type: "string" },
        { name: "e", type: "v.Errors" },
      ],
      returnType: "v.Obj",
      statements: body,
    });
  }
  for (const val of validators) {
    file.addFunction({
      name: val.name,
      isExported: true,
      docs: [val.doc],
      parameters: [{ name: "input", type: "unknown" }],
      returnType: `v.Result<${val.type}>`,
      statements: val.body,
    });
  }
  return [{ name: "validators.ts", content: printed(file, header("validators", "spec/services/*.yaml")) }];
}
