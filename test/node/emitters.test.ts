// Emitters, one spec concept at a time: given a small spec, want the fragment of generated code that carries the
// concept (openapi-typescript's style of transformer tests). The committed generated/ output is checked as a
// whole in codegen.test.ts; these say which spec fact produces which code.
import { describe, expect, it } from "vitest";
import { emitOpenApi } from "../../codegen/emitters/openapi.js";
import { emitRegistry } from "../../codegen/emitters/registry.js";
import { emitValidators } from "../../codegen/emitters/validators.js";
import { emitTrail } from "../../codegen/emitters/trail.js";
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
        sideEffects: "none",
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
    trail: { businessIds: [{ name: "orderId", description: "平台订单号" }] },
  };
}

const registryOf = (spec: Spec): string => emitRegistry(spec, newProject())[0]!.content;
const validatorsOf = (spec: Spec): string => emitValidators(spec, newProject())[0]!.content;
const withField = (f: Field): Spec => miniSpec({ request: { fields: [f] } });

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

describe("validators and the HIS contract: minimum", () => {
  const base = { required: true, description: "" };
  const cases: { name: string; given: Field; want: string[]; wantNot?: string[]; contract: unknown }[] = [
    {
      name: "an Int paging field with minimum 1",
      given: { ...base, name: "pageSize", type: "Int", minimum: 1 },
      want: ['x = v.int(s["pageSize"], p, "pageSize", true, e);', 'v.atLeast(x as number, 1, p, "pageSize", e)'],
      contract: 1,
    },
    {
      name: "a money Decimal with minimum 0",
      given: { ...base, name: "totalFee", type: "Decimal", precision: 10, scale: 2, unit: "分", minimum: 0 },
      want: ['v.atLeast(x as number, 0, p, "totalFee", e)'],
      contract: 0,
    },
    {
      name: "a money field the spec lets be negative (minimum null)",
      given: { ...base, name: "balance", type: "Decimal", precision: 10, scale: 2, unit: "分", minimum: null },
      want: [],
      wantNot: ["v.atLeast"],
      contract: undefined,
    },
    {
      name: "an Int without a bound",
      given: { ...base, name: "count", type: "Int" },
      want: [],
      wantNot: ["v.atLeast"],
      contract: undefined,
    },
  ];
  it.each(cases)("$name", async ({ given, want, wantNot, contract }) => {
    const code = validatorsOf(withField(given));
    for (const w of want) expect(code).toContain(w);
    for (const w of wantNot ?? []) expect(code).not.toContain(w);
    const files = await emitOpenApi(withField(given));
    const doc = JSON.parse(files.find((f) => f.name === "openapi.json")!.content) as {
      components: { schemas: Record<string, { properties: Record<string, { minimum?: number }> }> };
    };
    expect(doc.components.schemas.PayRequest!.properties[given.name]!.minimum).toBe(contract);
  });
});

describe("registry: idempotency fingerprint", () => {
  const idem = (fields: "request" | string[]) =>
    miniSpec({ idempotency: { mode: "notify", key: ["orderId"], why: "test", fingerprint: { fields, why: "test" } } });
  const cases: { name: string; given: Spec; want: string }[] = [
    {
      name: "the whole request",
      given: idem("request"),
      want: 'idempotency: { mode: "notify", key: ["orderId"], fingerprint: undefined }',
    },
    {
      name: "only the fields that make two notifications different events",
      given: idem(["hospitalOrderId", "hospitalTradeId"]),
      want: 'idempotency: { mode: "notify", key: ["orderId"], fingerprint: ["hospitalOrderId", "hospitalTradeId"] }',
    },
    { name: "no idempotency", given: miniSpec(), want: "idempotency: undefined" },
  ];
  it.each(cases)("$name", ({ given, want }) => {
    expect(registryOf(given).replace(/\s+/g, " ")).toContain(want);
  });
});

describe("registry: sideEffects (what a call changes)", () => {
  const cases: { name: string; given: Spec; want: string[] }[] = [
    {
      name: "a read is on no policy list",
      given: miniSpec({ sideEffects: "none" }),
      want: ['sideEffects: "none"', "stateChangingServices: ReadonlySet<ServiceName> = new Set([])"],
    },
    {
      name: "a write is state-changing",
      given: miniSpec({ sideEffects: "write" }),
      want: ['sideEffects: "write"', 'stateChangingServices: ReadonlySet<ServiceName> = new Set(["Pay"])'],
    },
    {
      name: "once (with its idempotency) is state-changing",
      given: miniSpec({
        sideEffects: "once",
        idempotency: { mode: "once", key: ["orderId"], why: "test", fingerprint: { fields: "request", why: "test" } },
      }),
      want: ['sideEffects: "once"', 'stateChangingServices: ReadonlySet<ServiceName> = new Set(["Pay"])'],
    },
  ];
  it.each(cases)("$name", ({ given, want }) => {
    const code = registryOf(given);
    for (const w of want) expect(code).toContain(w);
  });
});

describe("trail: businessIdFields (the payload fields the message trail keeps)", () => {
  const trailOf = (spec: Spec): string => emitTrail(spec, newProject())[0]!.content;
  const field = (name: string, type: Field["type"] = "String"): Field => ({
    name,
    type,
    maxLength: 64,
    required: false,
    description: "",
    ...(type === "list" ? { fields: [{ name: "orderId", type: "String", required: false, description: "" }] } : {}),
  });
  const cases: { name: string; given: Spec; want: string }[] = [
    {
      name: "a listed id in the request is kept",
      given: miniSpec(),
      want: 'Pay: { request: ["orderId"], response: [] }',
    },
    {
      name: "an id in the response too; a field not listed (patientName) never",
      given: miniSpec({
        response: { fields: [field("orderId"), field("patientName")] },
      }),
      want: 'Pay: { request: ["orderId"], response: ["orderId"] }',
    },
    {
      name: "ids inside a list node are not top-level business ids",
      given: miniSpec({ request: { fields: [field("orders", "list")] } }),
      want: "Pay: { request: [], response: [] }",
    },
  ];
  it.each(cases)("$name", ({ given, want }) => {
    expect(trailOf(given)).toContain(want);
  });
});
