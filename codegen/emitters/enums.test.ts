// emitEnums, given/want: the const and the type each dictionary and the unified result codes become.
import { describe, expect, it } from "vitest";
import type { Spec } from "../lib/model.js";
import { newProject } from "../lib/project.js";
import { declarationOf, dictionary, docOf, miniSpec, resultCode } from "../../test/support/mini-spec.js";
import { emitEnums } from "./enums.js";

const emitted = (spec: Spec): string => emitEnums(spec, newProject())[0]!.content;
const payType = dictionary(
  "payType",
  [
    { value: 1, label: "微信" },
    { value: 2, label: "支付宝" },
  ],
  { title: "支付类型", titleEn: "Pay type" },
);

describe("declarations", () => {
  const cases: { name: string; given: Spec; declaration: string; want: string }[] = [
    {
      name: "a dictionary: its labels by value",
      given: miniSpec({}, { dictionaries: [payType] }),
      declaration: "PayType",
      want: 'export const PayType = { name: "payType", title: "支付类型", titleEn: "Pay type", labels: { "1": "微信", "2": "支付宝" } } as const;',
    },
    {
      name: "an Int dictionary's values: number literals",
      given: miniSpec({}, { dictionaries: [payType] }),
      declaration: "PayTypeValue",
      want: "export type PayTypeValue = 1 | 2;",
    },
    {
      name: "a text dictionary's values: string literals",
      given: miniSpec(
        {},
        {
          dictionaries: [
            dictionary("userRule", [
              { value: "A", label: "甲" },
              { value: "B", label: "乙" },
            ]),
          ],
        },
      ),
      declaration: "UserRuleValue",
      want: 'export type UserRuleValue = "A" | "B";',
    },
    {
      name: "every dictionary by its spec name",
      given: miniSpec({}, { dictionaries: [payType, dictionary("sex", [{ value: 1, label: "男" }])] }),
      declaration: "dictionaries",
      want: "export const dictionaries = { payType: PayType, sex: Sex } as const;",
    },
    {
      name: "the unified result codes",
      given: miniSpec(
        {},
        { resultCodes: [resultCode("SUCCESS", "final", "成功"), resultCode("SYSTEM_ERROR", "transient", "系统错误")] },
      ),
      declaration: "ResultCode",
      want: 'export const ResultCode = { SUCCESS: "SUCCESS", SYSTEM_ERROR: "SYSTEM_ERROR" } as const;',
    },
    {
      name: "their messages; the code stands in for a missing English one",
      given: miniSpec(
        {},
        {
          resultCodes: [
            { ...resultCode("SUCCESS", "final", "成功"), messageEn: "Success" },
            resultCode("SYSTEM_ERROR", "transient", "系统错误"),
          ],
        },
      ),
      declaration: "resultCodeMessages",
      want: 'export const resultCodeMessages: Record<ResultCode, { message: string; messageEn: string }> = { SUCCESS: { message: "成功", messageEn: "Success" }, SYSTEM_ERROR: { message: "系统错误", messageEn: "SYSTEM_ERROR" } };',
    },
  ];
  it.each(cases)("$name", ({ given, declaration, want }) => {
    expect(declarationOf(emitted(given), declaration)).toBe(want);
  });
});

describe("doc comments", () => {
  it.each([
    { name: "a dictionary's titles", given: payType, want: "支付类型 (Pay type)" },
    {
      name: "and its description",
      given: { ...payType, description: "第三章 3.2" },
      want: "支付类型 (Pay type)\n第三章 3.2",
    },
  ])("$name", ({ given, want }) => {
    expect(docOf(emitted(miniSpec({}, { dictionaries: [given] })), "PayType")).toBe(want);
  });
});
