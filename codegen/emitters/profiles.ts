import { existsSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { Project } from "ts-morph";
import { compileProfile } from "../lib/compile-profile.js";
import { header, type OutputFile } from "../lib/header.js";
import { loadProfiles, type ProfileSource } from "../lib/load-profiles.js";
import type { Spec } from "../lib/model.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");

/** Where profiles live and where their compiled modules go (under generated/). Test profiles never reach the
 *  Worker's table: only the tests import them. */
const FOLDERS = [
  { dir: "profiles", out: "profiles", inIndex: true },
  { dir: "test/profiles", out: "profiles/test", inIndex: false },
] as const;

function moduleFor(source: ProfileSource, out: string, spec: Spec): string {
  const outDir = join(root, "generated", out);
  const rel = (to: string) => {
    const r = relative(outDir, to).replaceAll("\\", "/");
    return r.startsWith(".") ? r : `./${r}`;
  };
  const code = compileProfile(spec, source.file, source.profile, {
    hookModule: (hook) => {
      const file = join(source.dir, source.profile.name, hook);
      return existsSync(file) ? rel(file).replace(/\.ts$/, ".js") : undefined;
    },
  })
    .replace('"RUNTIME"', JSON.stringify(rel(join(root, "runtime/profile/index.js"))))
    .replace('"TYPES"', JSON.stringify(rel(join(root, "generated/types.js"))));
  return header("profiles", source.file, source.file) + code + "\n";
}

/** One module per HIS profile (profiles/*.yaml, test/profiles/*.yaml) and the Worker's table of them. */
export function emitProfiles(spec: Spec, _project: Project): OutputFile[] {
  const files: OutputFile[] = [];
  const indexed: string[] = [];
  for (const folder of FOLDERS) {
    for (const source of loadProfiles(join(root, folder.dir), root)) {
      files.push({ name: `${folder.out}/${source.profile.name}.ts`, content: moduleFor(source, folder.out, spec) });
      if (folder.inIndex) indexed.push(source.profile.name);
    }
  }
  const id = (name: string) => name.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
  files.push({
    name: "profiles/index.ts",
    content: [
      header("profiles", "profiles/*.yaml", "profiles/"),
      `import type { CompiledProfile } from "../../runtime/profile/index.js";`,
      ...indexed.map((n) => `import { profile as ${id(n)} } from "./${n}.js";`),
      "",
      "/** The HIS profiles a tenant can name with hisProfile. */",
      `export const profiles: Readonly<Record<string, CompiledProfile>> = { ${indexed.map((n) => `${JSON.stringify(n)}: ${id(n)}`).join(", ")} };`,
      "",
    ].join("\n"),
  });
  return files;
}
