// Type assertions in the gateway (issue 11): types flow from generated/ and the config schemas, so an `as` (other
// than `as const`) is the exception: at most ten in worker/src, each with a comment just above saying why.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
const MAX_CASTS = 10;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [path] : [];
  });
}

interface Cast {
  at: string;
  text: string;
  commented: boolean;
}

/** Every `x as T` (not `as const`; `x as unknown as T` counts twice) and whether a comment precedes it closely. */
function casts(file: string, text: string): Cast[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const lines = text.split("\n");
  const out: Cast[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isAsExpression(node) && node.type.getText(source) !== "const") {
      const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const above = lines.slice(Math.max(0, line - 3), line + 1).join("\n");
      out.push({ at: `${file}:${line + 1}`, text: node.getText(source), commented: /\/\/|\*\//.test(above) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

describe("casts in worker/src", () => {
  const all = sources(join(root, "worker/src")).flatMap((path) =>
    casts(relative(root, path), readFileSync(path, "utf8")),
  );

  it("finds the casts it counts (the scan itself works)", () => {
    expect(casts("x.ts", "const a = b as string; // no\nconst c = d as const;")).toEqual([
      { at: "x.ts:1", text: "b as string", commented: true },
    ]);
    expect(casts("y.ts", "\n\n\n\nconst a = b as unknown as T;")).toHaveLength(2);
    expect(casts("y.ts", "\n\n\n\nconst a = b as unknown as T;").every((c) => !c.commented)).toBe(true);
  });

  it(`at most ${MAX_CASTS}, each with a comment saying why`, () => {
    expect(all.length).toBeLessThanOrEqual(MAX_CASTS);
    expect(all.filter((c) => !c.commented).map((c) => `${c.at}: ${c.text}`)).toEqual([]);
  });
});
