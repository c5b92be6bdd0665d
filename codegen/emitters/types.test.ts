// emitTypes, given/want: the TypeScript type each field fact becomes, typed (what the HIS sees) and on the wire.
import { describe, expect, it } from "vitest";
import type { Field, Spec } from "../lib/model.js";
import { newProject } from "../lib/project.js";
import { declarationOf, dictionary, field, miniSpec, withRequest } from "../../test/support/mini-spec.js";
import { emitTypes } from "./types.js";

const emitted = (spec: Spec): string => emitTypes(spec, newProject())[0]!.content;
const noon = dictionary("noon", [
  { value: 1, label: "上午" },
  { value: 2, label: "下午" },
]);
const one = (f: Field, more: Partial<Spec> = {}) => miniSpec({ request: { fields: [f] } }, more);

describe("a field's type", () => {
  const cases: { name: string; given: Spec; declaration: string; want: string }[] = [
    {
      name: "a required String",
      given: one(field("orderId", "String", { required: true, maxLength: 64 })),
      declaration: "PayRequest",
      want: "export interface PayRequest { /** String(64), required */ orderId: string; }",
    },
    {
      name: "an optional Int, with its description",
      given: one(field("count", "Int", { description: "数量" })),
      declaration: "PayRequest",
      want: "export interface PayRequest { /** * 数量 * Int */ count?: number; }",
    },
    {
      name: "Long and Decimal are numbers; the unit is stated",
      given: withRequest(field("id", "Long"), field("fee", "Decimal", { precision: 10, scale: 2, unit: "分" })),
      declaration: "PayRequest",
      want: "export interface PayRequest { /** Long */ id?: number; /** Decimal(10,2), unit: 分 */ fee?: number; }",
    },
    {
      name: "an Int from a dictionary is the dictionary's type",
      given: one(field("noon", "Int", { dictionary: "noon" }), { dictionaries: [noon] }),
      declaration: "PayRequest",
      want: "export interface PayRequest { /** Int, dictionary: noon */ noon?: E.NoonValue; }",
    },
    {
      name: "extraValues widen it",
      given: one(field("noon", "Int", { dictionary: "noon", extraValues: [{ value: -1, label: "全天" }] }), {
        dictionaries: [noon],
      }),
      declaration: "PayRequest",
      want: "export interface PayRequest { /** Int, dictionary: noon */ noon?: E.NoonValue | -1; }",
    },
    {
      name: "inline values are a union of literals",
      given: one(
        field("flag", "String", {
          values: [
            { value: "Y", label: "是" },
            { value: "N", label: "否" },
          ],
        }),
      ),
      declaration: "PayRequest",
      want: 'export interface PayRequest { /** String */ flag?: "Y" | "N"; }',
    },
    {
      name: "a list is an array of its item type, named by its path",
      given: one(field("user", "list", { fields: [field("id", "String", { required: true })] })),
      declaration: "PayRequest",
      want: "export interface PayRequest { /** */ user?: PayRequestUser[]; }",
    },
    {
      name: "the item type",
      given: one(field("user", "list", { fields: [field("id", "String", { required: true })] })),
      declaration: "PayRequestUser",
      want: "export interface PayRequestUser { /** String, required */ id: string; }",
    },
  ];
  it.each(cases)("$name", ({ given, declaration, want }) => {
    expect(declarationOf(emitted(given), declaration)).toBe(want);
  });
});

describe("the wire types: text everywhere, lists of wire items", () => {
  it.each([
    {
      name: "a number is text on the wire",
      given: one(field("count", "Int", { required: true })),
      declaration: "PayRequestWire",
      want: "export interface PayRequestWire { count: string; }",
    },
    {
      name: "a list holds wire items",
      given: one(field("user", "list", { fields: [field("id", "Long")] })),
      declaration: "PayRequestUserWire",
      want: "export interface PayRequestUserWire { id?: string; }",
    },
  ])("$name", ({ given, declaration, want }) => {
    expect(declarationOf(emitted(given), declaration)).toBe(want);
  });
});

describe("per service", () => {
  it.each([
    {
      name: "no business response (无) is an empty record",
      given: miniSpec({ response: null }),
      declaration: "PayResponse",
      want: "export type PayResponse = Record<string, never>;",
    },
    {
      name: "request and response of every service by name",
      given: miniSpec({ response: { fields: [field("x", "String")] } }),
      declaration: "ServicePayloads",
      want: "export interface ServicePayloads { Pay: { request: PayRequest; response: PayResponse }; }",
    },
  ])("$name", ({ given, declaration, want }) => {
    expect(declarationOf(emitted(given), declaration)).toBe(want);
  });
});
