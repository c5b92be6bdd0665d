// npm run codegen: spec/ -> generated/. With --check, writes nothing and fails when generated/ is out of date.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { format, resolveConfig } from "prettier";
import { emitters } from "./emitters/index.js";
import type { OutputFile } from "./lib/header.js";
import { loadSpec } from "./lib/load-spec.js";
import { newProject } from "./lib/project.js";
import { SpecError } from "./lib/spec-error.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const specDir = join(root, "spec");
const outDir = join(root, "generated");

export async function generate(dir = specDir): Promise<OutputFile[]> {
  const spec = loadSpec(dir);
  const project = newProject();
  const files: OutputFile[] = [];
  for (const emit of Object.values(emitters)) files.push(...(await emit(spec, project)));
  const config = await resolveConfig(join(outDir, "x.ts"));
  return Promise.all(
    files.map(async (f) => {
      const options = { ...config, filepath: join(outDir, f.name) };
      let content = await format(f.content, options);
      // Prettier breaks some long member chains differently on a second pass (the profiles' row pipelines):
      // format those to a fixed point, so that `prettier --check` agrees with codegen.
      if (f.name.startsWith("profiles/")) content = await format(content, options);
      return { name: f.name, content };
    }),
  );
}

function listFiles(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((d) => d.isFile())
        .map((d) => join(d.parentPath, d.name).slice(dir.length + 1))
    : [];
}

async function main(): Promise<number> {
  const check = process.argv.includes("--check");
  const started = performance.now();
  let files: OutputFile[];
  try {
    files = await generate();
  } catch (err) {
    if (err instanceof SpecError) {
      console.error(`codegen: invalid spec: ${err.message}`);
      return 1;
    }
    throw err;
  }
  if (check) {
    const wanted = new Map(files.map((f) => [f.name, f.content]));
    const problems: string[] = [];
    for (const [name, content] of wanted) {
      const path = join(outDir, name);
      if (!existsSync(path)) problems.push(`missing: generated/${name}`);
      else if (readFileSync(path, "utf8") !== content) problems.push(`out of date: generated/${name}`);
    }
    for (const name of listFiles(outDir)) if (!wanted.has(name)) problems.push(`stale: generated/${name}`);
    if (problems.length) {
      console.error(
        `codegen --check: generated/ differs from spec/; run \`npm run codegen\` and commit:\n  ${problems.join("\n  ")}`,
      );
      return 1;
    }
    console.log(`codegen --check: generated/ is up to date (${files.length} files)`);
    return 0;
  }
  // Wipe first, so files whose emitter or service went away do not linger.
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  for (const f of files) {
    mkdirSync(dirname(join(outDir, f.name)), { recursive: true });
    writeFileSync(join(outDir, f.name), f.content);
  }
  console.log(`codegen: wrote ${files.length} files to generated/ in ${Math.round(performance.now() - started)} ms`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main();
}
