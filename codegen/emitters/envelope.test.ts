// emitEnvelope, given/want: the base parameters of §1.4 as the worker reads them.
import { describe, expect, it } from "vitest";
import type { EnvelopeParam } from "../lib/model.js";
import { newProject } from "../lib/project.js";
import { declarationOf, miniSpec } from "../../test/support/mini-spec.js";
import { emitEnvelope } from "./envelope.js";

const param = (name: string, more: Partial<EnvelopeParam> = {}): EnvelopeParam => ({
  name,
  type: "String",
  required: true,
  signed: true,
  description: "",
  ...more,
});
const emitted = (request: EnvelopeParam[], response: EnvelopeParam[] = []): string =>
  emitEnvelope(miniSpec({}, { envelope: { request, response } }), newProject())[0]!.content;

describe("requestParams and responseParams", () => {
  const cases: {
    name: string;
    request: EnvelopeParam[];
    response?: EnvelopeParam[];
    declaration: string;
    want: string;
  }[] = [
    {
      name: "a signed parameter with its maxLength",
      request: [param("partner", { maxLength: 32 })],
      declaration: "requestParams",
      want: 'export const requestParams: readonly EnvelopeParam[] = [{ name: "partner", maxLength: 32, required: true, signed: true, values: undefined }];',
    },
    {
      name: "an unsigned, optional parameter without a limit",
      request: [param("sign", { signed: false, required: false })],
      declaration: "requestParams",
      want: 'export const requestParams: readonly EnvelopeParam[] = [{ name: "sign", maxLength: undefined, required: false, signed: false, values: undefined }];',
    },
    {
      name: "a parameter with its allowed values, in the spec's order",
      request: [
        param("dataFormat", {
          values: [
            { value: "xml", label: "" },
            { value: "json", label: "" },
          ],
        }),
      ],
      declaration: "requestParams",
      want: 'export const requestParams: readonly EnvelopeParam[] = [{ name: "dataFormat", maxLength: undefined, required: true, signed: true, values: ["xml", "json"] }];',
    },
    {
      name: "the reply's parameters apart from the request's",
      request: [param("partner")],
      response: [param("resultCode", { maxLength: 32 })],
      declaration: "responseParams",
      want: 'export const responseParams: readonly EnvelopeParam[] = [{ name: "resultCode", maxLength: 32, required: true, signed: true, values: undefined }];',
    },
  ];
  it.each(cases)("$name", ({ request, response, declaration, want }) => {
    expect(declarationOf(emitted(request, response), declaration)).toBe(want);
  });
});
