// Emitters, one spec concept at a time: given a small spec, want the fragment of generated code that carries the
// concept (openapi-typescript's style of transformer tests). The committed generated/ output is checked as a
// whole in codegen.test.ts; these say which spec fact produces which code.
import { describe, expect, it } from "vitest";
import { emitRegistry } from "../../codegen/emitters/registry.js";
import type { Field, ResultCode, Service, Spec } from "../../codegen/lib/model.js";
import { newProject } from "../../codegen/lib/project.js";

const code = (c: string, outcome: ResultCode["outcome"]): ResultCode => ({ code: c, message: c, outcome, why: "test" });

function miniSpec(service: Partial<Service> = {}, unified: ResultCode[] = [code("SUCCESS", "final")]): Spec {
  const fields: Field[] = [{ name: "orderId", type: "String", maxLength: 64, required: true, description: "" }];
  return {
    services: [
      {
        name: "Pay",
        wireName: "Pay",
        aliases: [],
        direction: "platformToHospital",
        section: "2.1.2.1",
        title: "支付",
        titleEn: "Pay",
        description: "",
        request: { fields },
        response: null,
        rules: [],
        resultCodes: [],
        errata: [],
        file: "spec/services/Pay.yaml",
        ...service,
      },
    ],
    dictionaries: [],
    resultCodes: unified,
    envelope: { request: [], response: [] },
    errata: [],
  };
}

const registryOf = (spec: Spec): string => emitRegistry(spec, newProject())[0]!.content;

describe("registry: finalResultCodes (outcome of each result code)", () => {
  const cases: { name: string; given: Spec; want: string }[] = [
    {
      name: "only SUCCESS when the service lists no codes",
      given: miniSpec(),
      want: 'finalResultCodes: new Set(["SUCCESS"])',
    },
    {
      name: "final business codes join SUCCESS; transient ones do not",
      given: miniSpec({ resultCodes: [code("S02000107", "final"), code("S02000108", "transient")] }),
      want: 'finalResultCodes: new Set(["SUCCESS", "S02000107"])',
    },
    {
      name: "a transient unified code is never final, a final one always is",
      given: miniSpec({}, [code("SUCCESS", "final"), code("SYSTEM_ERROR", "transient")]),
      want: 'finalResultCodes: new Set(["SUCCESS"])',
    },
  ];
  it.each(cases)("$name", ({ given, want }) => {
    expect(registryOf(given)).toContain(want);
  });
});
