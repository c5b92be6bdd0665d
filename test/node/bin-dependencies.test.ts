// `npx hisgate` after `npm ci --omit=dev`: every package the bin loads at run time must be one of package.json's
// `dependencies`, or the CLI dies with ERR_MODULE_NOT_FOUND on a plain install (as it did with yaml and ajv, which
// `hisgate profile` needs through codegen's profile reader). Read from the import graph itself, without a network:
// from the launcher through every relative import, as TypeScript parses them.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  bin: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** The specifiers a module loads when it runs: imports and re-exports that are not `type`-only, literal import(). */
function runtimeSpecifiers(source: string, fileName: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly && ts.isStringLiteral(node.moduleSpecifier))
      found.push(node.moduleSpecifier.text);
    else if (
      ts.isExportDeclaration(node) &&
      !node.isTypeOnly &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    )
      found.push(node.moduleSpecifier.text);
    else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    )
      found.push(node.arguments[0].text);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** A relative specifier as the file it names (TypeScript's `.js` for `.ts`/`.tsx`, as tsx resolves it). */
function resolveRelative(from: string, specifier: string): string {
  const base = resolve(dirname(from), specifier);
  const stem = base.replace(/\.(m?js)$/, "");
  for (const candidate of [base, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, join(base, "index.ts")])
    if (existsSync(candidate) && !candidate.endsWith("/")) return candidate;
  throw new Error(`${relative(root, from)}: cannot resolve ${specifier}`);
}

const packageName = (specifier: string) =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");

/** Every npm package reachable at run time from these entry files, with the first file that imports it. */
function packagesReachable(entries: string[]): Map<string, string> {
  const packages = new Map<string, string>();
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of runtimeSpecifiers(readFileSync(file, "utf8"), file)) {
      if (specifier.startsWith(".")) queue.push(resolveRelative(file, specifier));
      else if (!isBuiltin(specifier) && !packages.has(packageName(specifier)))
        packages.set(packageName(specifier), relative(root, file));
    }
  }
  return packages;
}

describe("the hisgate bin after npm ci --omit=dev", () => {
  // `hisgate profile` imports the compiled profiles by a computed path: they are entries of their own.
  const profiles = join(root, "generated/profiles");
  const entries = [
    ...Object.values(pkg.bin).map((bin) => join(root, bin)),
    ...readdirSync(profiles)
      .filter((f) => f.endsWith(".ts"))
      .map((f) => join(profiles, f)),
  ];
  const reachable = packagesReachable(entries);

  it("loads only packages that are dependencies", () => {
    const missing = [...reachable].filter(([name]) => !(name in pkg.dependencies)).map(([n, by]) => `${n} (${by})`);
    expect(missing).toEqual([]);
    // The graph is really walked: the launcher's loader and the gateway's own code are in it.
    expect([...reachable.keys()]).toEqual(expect.arrayContaining(["tsx", "hono", "fast-xml-parser", "yaml", "ajv"]));
  });

  it("no package is both a dependency and a devDependency, and no type package is a dependency", () => {
    expect(Object.keys(pkg.dependencies).filter((name) => name in pkg.devDependencies)).toEqual([]);
    expect(Object.keys(pkg.dependencies).filter((name) => name.startsWith("@types/"))).toEqual([]);
  });

  it("reads what a module loads, not what it only names as a type", () => {
    const specifiers = runtimeSpecifiers(
      [
        `import type { A } from "types-only";`,
        `import { type B } from "kept-by-verbatim-module-syntax";`,
        `import c from "default-import";`,
        `export { d } from "re-export";`,
        `export type { E } from "type-re-export";`,
        `const f = await import("dynamic");`,
        `import "side-effect";`,
      ].join("\n"),
      "x.ts",
    );
    expect(specifiers.sort()).toEqual(
      ["default-import", "dynamic", "kept-by-verbatim-module-syntax", "re-export", "side-effect"].sort(),
    );
  });
});
