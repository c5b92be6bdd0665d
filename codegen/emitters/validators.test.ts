// emitValidators, given/want: the check each field fact becomes in the generated straight-line validator.
import { describe, expect, it } from "vitest";
import type { Field, Spec } from "../lib/model.js";
import { newProject } from "../lib/project.js";
import { dictionary, field, miniSpec, withRequest } from "../../test/support/mini-spec.js";
import { emitValidators } from "./validators.js";

const emitted = (spec: Spec): string => emitValidators(spec, newProject())[0]!.content;
type Case = { name: string; given: Spec; want: string[]; wantNot?: string[] };
const table = (cases: Case[]) =>
  it.each(cases)("$name", ({ given, want, wantNot }) => {
    const code = emitted(given);
    for (const w of want) expect(code).toContain(w);
    for (const w of wantNot ?? []) expect(code).not.toContain(w);
  });
const required = (name: string, type: Field["type"], more: Partial<Field> = {}) =>
  field(name, type, { required: true, ...more });

describe("scalar types: the reader and its limits", () => {
  table([
    {
      name: "a required String with its maxLength",
      given: withRequest(required("orderId", "String", { maxLength: 64 })),
      want: ['x = v.str(s["orderId"], p, "orderId", true, 64, e);', 'if (x !== undefined) o["orderId"] = x;'],
    },
    {
      name: "an optional String without a maxLength",
      given: withRequest(field("remark", "String")),
      want: ['x = v.str(s["remark"], p, "remark", false, undefined, e);'],
    },
    {
      name: "an Int",
      given: withRequest(required("count", "Int")),
      want: ['x = v.int(s["count"], p, "count", true, e);'],
    },
    { name: "a Long", given: withRequest(required("id", "Long")), want: ['x = v.long(s["id"], p, "id", true, e);'] },
    {
      name: "a Decimal with its precision and scale",
      given: withRequest(required("fee", "Decimal", { precision: 10, scale: 2, minimum: null })),
      want: ['x = v.decimal(s["fee"], p, "fee", true, 10, 2, e);'],
    },
    {
      name: "a String with a format",
      given: withRequest(required("payTime", "String", { maxLength: 19, format: "datetime" })),
      want: ['if (x !== undefined && v.format(x as string, "datetime", p, "payTime", e)) o["payTime"] = x;'],
    },
  ]);
});

describe("minimum", () => {
  table([
    {
      name: "an Int paging field with minimum 1",
      given: withRequest(required("pageSize", "Int", { minimum: 1 })),
      want: ['x = v.int(s["pageSize"], p, "pageSize", true, e);', 'v.atLeast(x as number, 1, p, "pageSize", e)'],
    },
    {
      name: "a money Decimal with minimum 0",
      given: withRequest(required("totalFee", "Decimal", { precision: 10, scale: 2, unit: "分", minimum: 0 })),
      want: ['v.atLeast(x as number, 0, p, "totalFee", e)'],
    },
    {
      name: "a money field the spec lets be negative (minimum null)",
      given: withRequest(required("balance", "Decimal", { precision: 10, scale: 2, unit: "分", minimum: null })),
      want: [],
      wantNot: ["v.atLeast"],
    },
    { name: "an Int without a bound", given: withRequest(required("count", "Int")), want: [], wantNot: ["v.atLeast"] },
  ]);
});

describe("allowed values", () => {
  const payType = dictionary("payType", [
    { value: 1, label: "微信" },
    { value: 2, label: "支付宝" },
  ]);
  table([
    {
      name: "a dictionary's values, as one shared set",
      given: miniSpec(
        { request: { fields: [required("payType", "Int", { dictionary: "payType" })] } },
        { dictionaries: [payType] },
      ),
      want: [
        "const ALLOWED_1 = new Set<number | string>([1, 2]);",
        'if (x !== undefined && v.oneOf(x, ALLOWED_1, p, "payType", e)) o["payType"] = x;',
      ],
    },
    {
      name: "extraValues widen the dictionary",
      given: miniSpec(
        {
          request: {
            fields: [
              required("payType", "Int", { dictionary: "payType", extraValues: [{ value: -1, label: "全部" }] }),
            ],
          },
        },
        { dictionaries: [payType] },
      ),
      want: ["const ALLOWED_1 = new Set<number | string>([1, 2, -1]);"],
    },
    {
      name: "inline values; two fields with the same values share one set",
      given: withRequest(
        required("a", "String", {
          values: [
            { value: "Y", label: "是" },
            { value: "N", label: "否" },
          ],
        }),
        required("b", "String", {
          values: [
            { value: "Y", label: "是" },
            { value: "N", label: "否" },
          ],
        }),
      ),
      want: ['const ALLOWED_1 = new Set<number | string>(["Y", "N"]);', 'v.oneOf(x, ALLOWED_1, p, "b", e)'],
      wantNot: ["ALLOWED_2"],
    },
  ]);
});

describe("list nodes", () => {
  const user = (name = "user") => field(name, "list", { fields: [required("id", "String", { maxLength: 8 })] });
  table([
    {
      name: "each item is checked by the node's function, at its indexed path",
      given: withRequest(user()),
      want: [
        'a = v.list(s["user"], p, "user", false, e);',
        'for (let i = 0; i < a.length; i++) items[i] = node1(a[i]!, p + ".user[" + i + "]", e);',
        'x = v.str(s["id"], p, "id", true, 8, e);',
      ],
    },
    {
      name: "identical nodes share one function",
      given: withRequest(user("user"), user("patient")),
      want: ['items[i] = node1(a[i]!, p + ".user["', 'items[i] = node1(a[i]!, p + ".patient["'],
      wantNot: ["function node3"],
    },
  ]);
});

describe("rules across fields", () => {
  table([
    {
      name: "requiredWhen: reported at the target's path when the condition holds",
      given: miniSpec({
        request: { fields: [required("businessType", "Int"), field("hospitalRefundId", "String")] },
        rules: [
          {
            kind: "requiredWhen",
            field: "hospitalRefundId",
            when: { field: "businessType", in: [1, 2] },
            description: "",
          },
        ],
      }),
      want: [
        'if (o["businessType"] === 1 || o["businessType"] === 2) {',
        'if (!v.present(s["hospitalRefundId"])) v.report(e, "requiredWhen", "request.hospitalRefundId", { when: "businessType=1/2" });',
      ],
    },
    {
      name: "atLeastOne: reported at the first field's path, naming all of them",
      given: miniSpec({
        request: { fields: [field("idCard", "String"), field("cardNo", "String")] },
        rules: [{ kind: "atLeastOne", fields: ["idCard", "cardNo"], description: "" }],
      }),
      want: [
        'if (!v.present(s["idCard"]) && !v.present(s["cardNo"])) {',
        'v.report(e, "atLeastOne", "request.idCard", { fields: "idCard, cardNo" });',
      ],
    },
    {
      name: "a note is no check",
      given: miniSpec({ rules: [{ kind: "note", description: "x" }] }),
      want: [],
      wantNot: ["v.report"],
    },
  ]);
});

describe("one validator per payload", () => {
  table([
    {
      name: "request and response, typed by the generated payload types",
      given: miniSpec({ response: { fields: [field("hospitalTradeId", "String")] } }),
      want: [
        "export function validatePayRequest(input: unknown): v.Result<T.PayRequest> {",
        'const o = node1(s, "request", e);',
        "export function validatePayResponse(input: unknown): v.Result<T.PayResponse> {",
        'const o = node2(s, "response", e);',
      ],
    },
    {
      name: "no business response (无): an empty object is the only answer",
      given: miniSpec({ response: null }),
      want: ["export function validatePayResponse(input: unknown): v.Result<T.PayResponse> {", "const o: v.Obj = {};"],
    },
  ]);
});
