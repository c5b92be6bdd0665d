// A spec small enough to read in a test: one service (Pay) with one request field, for the emitters' given/want
// tables (codegen/emitters/*.test.ts). Each table overrides what its concept needs.
import {
  Project,
  type FunctionDeclaration,
  type InterfaceDeclaration,
  type TypeAliasDeclaration,
  type VariableStatement,
} from "ts-morph";
import type { Dictionary, Field, ResultCode, Service, Spec } from "../../codegen/lib/model.js";

export const resultCode = (code: string, outcome: ResultCode["outcome"], message = code): ResultCode => ({
  code,
  message,
  outcome,
  why: "test",
});

/** A field with the defaults a test does not care about (optional, no description). */
export const field = (name: string, type: Field["type"], more: Partial<Field> = {}): Field => ({
  name,
  type,
  required: false,
  description: "",
  ...more,
});

export const dictionary = (name: string, values: Dictionary["values"], more: Partial<Dictionary> = {}): Dictionary => ({
  name,
  title: name,
  titleEn: name,
  valueType: typeof values[0]?.value === "number" ? "Int" : "String",
  values,
  ...more,
});

export function miniSpec(service: Partial<Service> = {}, spec: Partial<Spec> = {}): Spec {
  return {
    services: [
      {
        name: "Pay",
        wireName: "Pay",
        aliases: [],
        direction: "platformToHospital",
        sideEffects: "none",
        section: "2.1.2.1",
        title: "支付",
        titleEn: "Pay",
        description: "",
        request: { fields: [field("orderId", "String", { maxLength: 64, required: true })] },
        response: null,
        rules: [],
        resultCodes: [],
        errata: [],
        file: "spec/services/Pay.yaml",
        ...service,
      },
    ],
    dictionaries: [],
    resultCodes: [resultCode("SUCCESS", "final", "成功")],
    envelope: { request: [], response: [] },
    errata: [],
    trail: { businessIds: [{ name: "orderId", description: "平台订单号" }] },
    ...spec,
  };
}

/** A spec whose one service's request is exactly these fields. */
export const withRequest = (...fields: Field[]): Spec => miniSpec({ request: { fields } });

const parser = new Project({ useInMemoryFileSystem: true });

/** A top-level declaration of emitted code: a const first, where a type shares its name (ResultCode). */
function withDeclaration<T>(code: string, name: string, read: (node: JSDocableDeclaration) => T): T {
  const file = parser.createSourceFile("emitted.ts", code, { overwrite: true });
  const node =
    file.getVariableStatement(name) ?? file.getInterface(name) ?? file.getTypeAlias(name) ?? file.getFunction(name);
  if (!node) throw new Error(`no declaration ${name} in the emitted code`);
  try {
    return read(node);
  } finally {
    parser.removeSourceFile(file);
  }
}
type JSDocableDeclaration = VariableStatement | InterfaceDeclaration | TypeAliasDeclaration | FunctionDeclaration;

/**
 * The text of one top-level declaration (const, interface, type alias or function) without its doc comment;
 * whitespace runs are one space, so a want reads as one line.
 */
export const declarationOf = (code: string, name: string): string =>
  withDeclaration(code, name, (node) => node.getText().replace(/\s+/g, " "));

/** The doc comment of one top-level declaration, as written. */
export const docOf = (code: string, name: string): string =>
  withDeclaration(code, name, (node) =>
    node
      .getJsDocs()
      .map((d) => d.getDescription().trim())
      .join("\n"),
  );
