// emitRegistry, given/want: which spec fact becomes which property of a service's registry entry.
import { describe, expect, it } from "vitest";
import type { Spec } from "../lib/model.js";
import { newProject } from "../lib/project.js";
import { field, miniSpec, resultCode as code } from "../../test/support/mini-spec.js";
import { emitRegistry } from "./registry.js";

/** The emitted registry, whitespace runs as one space. */
const emitted = (spec: Spec): string => emitRegistry(spec, newProject())[0]!.content.replace(/\s+/g, " ");
type Case = { name: string; given: Spec; want: string[] };
const table = (cases: Case[]) =>
  it.each(cases)("$name", ({ given, want }) => {
    const code = emitted(given);
    for (const w of want) expect(code).toContain(w);
  });

describe("finalResultCodes (the outcome of each result code)", () => {
  table([
    {
      name: "only SUCCESS when the service lists no codes",
      given: miniSpec(),
      want: ['finalResultCodes: new Set(["SUCCESS"])'],
    },
    {
      name: "final business codes join SUCCESS; transient ones do not",
      given: miniSpec({ resultCodes: [code("S02000107", "final"), code("S02000108", "transient")] }),
      want: ['finalResultCodes: new Set(["SUCCESS", "S02000107"])'],
    },
    {
      name: "a transient unified code is never final, a final one always is",
      given: miniSpec({}, { resultCodes: [code("SUCCESS", "final"), code("SYSTEM_ERROR", "transient")] }),
      want: ['finalResultCodes: new Set(["SUCCESS"])'],
    },
    {
      name: "the business codes with their messages",
      given: miniSpec({ resultCodes: [code("S02000101", "final", "订单不存在")] }),
      want: ['resultCodes: { S02000101: "订单不存在" }'],
    },
  ]);
});

describe("idempotency (the fingerprint)", () => {
  const idem = (fields: "request" | string[]) =>
    miniSpec({ idempotency: { mode: "notify", key: ["orderId"], why: "test", fingerprint: { fields, why: "test" } } });
  table([
    {
      name: "the whole request",
      given: idem("request"),
      want: ['idempotency: { mode: "notify", key: ["orderId"], fingerprint: undefined }'],
    },
    {
      name: "only the fields that make two notifications different events",
      given: idem(["hospitalOrderId", "hospitalTradeId"]),
      want: ['idempotency: { mode: "notify", key: ["orderId"], fingerprint: ["hospitalOrderId", "hospitalTradeId"] }'],
    },
    { name: "no idempotency", given: miniSpec(), want: ["idempotency: undefined"] },
  ]);
});

describe("sideEffects (what a call changes)", () => {
  table([
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
  ]);
});

describe("element trees (what the XML reader and writer follow)", () => {
  const user = field("user", "list", {
    fields: [field("id", "String"), field("card", "list", { fields: [field("no", "String")] })],
  });
  table([
    {
      name: "a scalar is [name]",
      given: miniSpec(),
      want: ['request: [["orderId"]], response: [], listPaths: new Set([])'],
    },
    {
      name: "a list node is [name, children], and each list node's dotted path is a list path",
      given: miniSpec({ response: { fields: [user] } }),
      want: [
        'response: [["user", [["id"], ["card", [["no"]]]]]]',
        'listPaths: new Set(["response.user", "response.user.card"])',
        "hasResponse: true",
      ],
    },
    {
      name: "no business response (无)",
      given: miniSpec({ response: null }),
      want: ["hasResponse: false", "response: []"],
    },
    {
      name: "a paged request names its pageSize field; a csv field is listed",
      given: miniSpec({
        request: { fields: [field("pageSize", "Int")] },
        response: { fields: [field("billText", "String", { csv: true })] },
      }),
      want: ['pageSizeField: "pageSize"', 'csvFields: ["billText"]'],
    },
  ]);
});

describe("names and spellings", () => {
  table([
    {
      name: "wire name and aliases as written; validators by the service's name",
      given: miniSpec({ name: "TestNet", wireName: "TestNet", aliases: ["NetTest"], section: "2.1.1" }),
      want: [
        'name: "TestNet", wireName: "TestNet", aliases: ["NetTest"], direction: "platformToHospital"',
        "validateRequest: validateTestNetRequest, validateResponse: validateTestNetResponse",
      ],
    },
  ]);
});
