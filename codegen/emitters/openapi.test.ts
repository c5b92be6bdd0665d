// emitOpenApi, given/want: the JSON Schema each field fact becomes in the HIS contract, the operation each service
// becomes, and the types openapi-typescript derives from them.
import { describe, expect, it } from "vitest";
import { FORMATS } from "../../runtime/formats.js";
import type { Field, Spec } from "../lib/model.js";
import { dictionary, field, miniSpec, withRequest } from "../../test/support/mini-spec.js";
import { emitOpenApi } from "./openapi.js";

type Schema = Record<string, unknown>;
type Doc = { paths: Record<string, { post: Schema }>; components: { schemas: Record<string, Schema> } };

async function emitted(spec: Spec): Promise<{ doc: Doc; types: string }> {
  const files = await emitOpenApi(spec);
  return {
    doc: JSON.parse(files.find((f) => f.name === "openapi.json")!.content) as Doc,
    types: files.find((f) => f.name === "openapi.d.ts")!.content,
  };
}
const propertyOf = (doc: Doc, name: string) =>
  (doc.components.schemas.PayRequest!.properties as Record<string, Schema>)[name];

describe("a field's schema", () => {
  const payType = dictionary("payType", [
    { value: 1, label: "微信" },
    { value: 2, label: "支付宝" },
  ]);
  const cases: { name: string; given: Field; dictionaries?: Spec["dictionaries"]; want: Schema }[] = [
    {
      name: "a String with its maxLength",
      given: field("orderId", "String", { maxLength: 64, description: "平台订单号" }),
      want: { description: "平台订单号", type: "string", maxLength: 64 },
    },
    {
      name: "an Int is an int32",
      given: field("count", "Int"),
      want: { description: "", type: "integer", format: "int32" },
    },
    {
      name: "a Long is an int64",
      given: field("id", "Long"),
      want: { description: "", type: "integer", format: "int64" },
    },
    {
      name: "a Decimal: its precision and scale, a multiple of its smallest unit, its unit and minimum",
      given: field("totalFee", "Decimal", { precision: 10, scale: 2, unit: "分", minimum: 0 }),
      want: {
        description: "",
        type: "number",
        "x-decimal": { precision: 10, scale: 2 },
        multipleOf: 0.01,
        "x-unit": "分",
        minimum: 0,
      },
    },
    {
      name: "a money field the spec lets be negative (minimum null) has no minimum",
      given: field("balance", "Decimal", { precision: 10, scale: 2, minimum: null }),
      want: { description: "", type: "number", "x-decimal": { precision: 10, scale: 2 }, multipleOf: 0.01 },
    },
    {
      name: "a format: the pattern and example of runtime/formats.ts",
      given: field("payTime", "String", { maxLength: 19, format: "datetime" }),
      want: {
        description: "",
        type: "string",
        maxLength: 19,
        pattern: FORMATS.datetime.pattern,
        "x-format": "datetime",
        examples: [FORMATS.datetime.example],
      },
    },
    {
      name: "a dictionary is a $ref to its schema",
      given: field("payType", "Int", { dictionary: "payType" }),
      dictionaries: [payType],
      want: { description: "", format: "int32", $ref: "#/components/schemas/PayTypeValue" },
    },
    {
      name: "a dictionary widened by extraValues is an inline enum with labels",
      given: field("payType", "Int", { dictionary: "payType", extraValues: [{ value: -1, label: "全部" }] }),
      dictionaries: [payType],
      want: {
        description: "",
        type: "integer",
        format: "int32",
        enum: [1, 2, -1],
        "x-enum-descriptions": ["微信", "支付宝", "全部"],
      },
    },
    {
      name: "a list is an array of its item schema",
      given: field("user", "list", { fields: [field("id", "String")] }),
      want: { type: "array", description: "", items: { $ref: "#/components/schemas/PayRequestUser" } },
    },
  ];
  it.each(cases)("$name", async ({ given, dictionaries = [], want }) => {
    const { doc } = await emitted(miniSpec({ request: { fields: [given] } }, { dictionaries }));
    expect(propertyOf(doc, given.name)).toEqual(want);
  });

  it("required fields are listed; a dictionary is one schema with its labels", async () => {
    const { doc } = await emitted(
      miniSpec(
        {
          request: {
            fields: [field("a", "String", { required: true }), field("payType", "Int", { dictionary: "payType" })],
          },
        },
        { dictionaries: [payType] },
      ),
    );
    expect(doc.components.schemas.PayRequest!.required).toEqual(["a"]);
    expect(doc.components.schemas.PayTypeValue).toEqual({
      title: "payType (payType)",
      type: "integer",
      enum: [1, 2],
      "x-enum-descriptions": ["微信", "支付宝"],
    });
  });
});

describe("a service's operation", () => {
  const cases: { name: string; given: Spec; path: string; want: Schema }[] = [
    {
      name: "platform -> hospital: implemented by the HIS at its own path, no token",
      given: miniSpec(),
      path: "/Pay",
      want: { operationId: "Pay", tags: ["HIS (implemented by the hospital)"] },
    },
    {
      name: "hospital -> platform: served by hisgate under /platform, with the hisToken",
      given: miniSpec({ name: "RefundByHis", direction: "hospitalToPlatform" }),
      path: "/platform/RefundByHis",
      want: {
        operationId: "RefundByHis",
        tags: ["Platform (called by the hospital through hisgate)"],
        security: [{ hisToken: [] }],
      },
    },
  ];
  it.each(cases)("$name", async ({ given, path, want }) => {
    const { doc } = await emitted(given);
    expect(Object.keys(doc.paths)).toEqual([path]);
    expect(doc.paths[path]!.post).toMatchObject(want);
    if (!("security" in want)) expect(doc.paths[path]!.post).not.toHaveProperty("security");
  });

  it("the business result codes are a table in the description", async () => {
    const { doc } = await emitted(
      miniSpec({ resultCodes: [{ code: "S02000101", message: "订单不存在", outcome: "final", why: "" }] }),
    );
    expect(doc.paths["/Pay"]!.post.description).toContain(
      "| resultCode | resultMessage |\n|---|---|\n| S02000101 | 订单不存在 |",
    );
  });

  it("the reply carries data only where the service has a business response", async () => {
    const reply = async (response: Spec["services"][number]["response"]) =>
      (await emitted(miniSpec({ response }))).doc.components.schemas.PayReply!.properties as Schema;
    expect(await reply(null)).not.toHaveProperty("data");
    expect(await reply({ fields: [field("x", "String")] })).toHaveProperty("data", {
      $ref: "#/components/schemas/PayResponse",
    });
  });
});

describe("openapi.d.ts (openapi-typescript over the document)", () => {
  it("types each payload schema, optional where the spec says so", async () => {
    const { types } = await emitted(
      withRequest(field("orderId", "String", { required: true }), field("memo", "String")),
    );
    const payRequest = /PayRequest: \{[^}]*\}/.exec(types)?.[0].replace(/\s+/g, " ");
    expect(payRequest).toContain("orderId: string;");
    expect(payRequest).toContain("memo?: string;");
  });
});
