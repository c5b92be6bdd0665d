// emitTrail, given/want: which payload fields the message trail keeps, per service.
import { describe, expect, it } from "vitest";
import type { Field, Spec } from "../lib/model.js";
import { newProject } from "../lib/project.js";
import { field, miniSpec } from "../../test/support/mini-spec.js";
import { emitTrail } from "./trail.js";

const emitted = (spec: Spec): string => emitTrail(spec, newProject())[0]!.content;
const id = (name: string, type: Field["type"] = "String"): Field =>
  field(name, type, type === "list" ? { fields: [field("orderId", "String")] } : { maxLength: 64 });

describe("businessIdFields (the payload fields the message trail keeps)", () => {
  const cases: { name: string; given: Spec; want: string }[] = [
    {
      name: "a listed id in the request is kept",
      given: miniSpec(),
      want: 'Pay: { request: ["orderId"], response: [] }',
    },
    {
      name: "an id in the response too; a field not listed (patientName) never",
      given: miniSpec({ response: { fields: [id("orderId"), id("patientName")] } }),
      want: 'Pay: { request: ["orderId"], response: ["orderId"] }',
    },
    {
      name: "ids inside a list node are not top-level business ids",
      given: miniSpec({ request: { fields: [id("orders", "list")] } }),
      want: "Pay: { request: [], response: [] }",
    },
    {
      name: "a list node is never kept, even under a business id's name",
      given: miniSpec({ request: { fields: [id("orderId", "list")] } }),
      want: "Pay: { request: [], response: [] }",
    },
  ];
  it.each(cases)("$name", ({ given, want }) => {
    expect(emitted(given)).toContain(want);
  });

  it("the names it may keep are spec/trail.yaml's, in its order", () => {
    const given = miniSpec(
      {},
      {
        trail: {
          businessIds: [
            { name: "orderId", description: "" },
            { name: "refundId", description: "" },
          ],
        },
      },
    );
    expect(emitted(given)).toContain('export type BusinessIdName = "orderId" | "refundId";');
    expect(emitted(given)).toContain(
      'export const businessIdNames: readonly BusinessIdName[] = ["orderId", "refundId"];',
    );
  });
});
