// Every request and response example of the seed goes through the generated validator: accepted, or rejected at
// exactly the paths its errata entry explains (spec/services/*.yaml, examples.*.errors).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { loadSpec } from "../../codegen/lib/load-spec.js";
import { getService } from "../../generated/registry.js";

const root = join(import.meta.dirname, "../..");
const spec = loadSpec(join(root, "spec"));

const cases = spec.services.flatMap((s) =>
  (["request", "response"] as const).flatMap((kind) => {
    const ex = s.examples?.[kind];
    return ex
      ? [{ service: s.name, kind, file: ex.file, errors: ex.errors, errata: s.errata.map((e) => e.where) }]
      : [];
  }),
);

describe("seed examples", () => {
  it("covers an example for most services", () => {
    expect(new Set(cases.map((c) => c.service)).size).toBeGreaterThanOrEqual(20);
  });

  it.each(cases)("$service $kind ($file)", ({ service, kind, file, errors }) => {
    const def = getService(service)!;
    const text = readFileSync(join(root, "spec/examples", file), "utf8");
    // An independent reading of the fixture (not the worker's parser): list nodes by the registry's paths.
    const parser = new XMLParser({
      parseTagValue: false,
      trimValues: true,
      isArray: (_t, jPath) => def.listPaths.has(jPath as string),
    });
    const doc = parser.parse(text) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual([kind]);
    const result = (kind === "request" ? def.validateRequest : def.validateResponse)(doc[kind]);
    const paths = result.ok ? [] : result.errors.map((e) => e.path);
    expect(paths.sort()).toEqual([...errors].sort());
  });

  it("explains every rejected example with an erratum naming the place", () => {
    for (const c of cases.filter((c) => c.errors.length > 0)) {
      expect(c.errata.length, `${c.service} ${c.kind}`).toBeGreaterThan(0);
    }
  });
});
