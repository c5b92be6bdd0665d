// The deployable Worker bundle: size (raw and gzipped), what is in it (build-time tools must not be), and module
// start-up cost as a ratio to a hello-world Worker measured the same way in the same run.
//
//   npm run bench:bundle      (package.json: "bench:bundle": "tsx bench/bundle.ts")
//
// `wrangler deploy --dry-run --outdir bench/out/bundle --metafile …` builds exactly what `npm run deploy` would
// upload (no minification: wrangler.jsonc does not ask for it); a second, --minify build shows what that flag
// would save.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { Worker } from "node:worker_threads";
import { gzipSync } from "node:zlib";
import { dryRunBuild } from "../selfhost/build.js";
import { fmt, machine, table, writeResults } from "./machine.js";

const root = new URL("..", import.meta.url);
const outDir = new URL("./out/", import.meta.url);
const NODE_RUNS = Number(process.env.BUNDLE_NODE_RUNS ?? 20);
const WORKERD_RUNS = Number(process.env.BUNDLE_WORKERD_RUNS ?? 8);
const KiB = 1024;

/** Build-time packages that must never reach the Worker, with the markers that would betray them. */
const FORBIDDEN: Record<string, string[]> = {
  "ts-morph": ["node_modules/ts-morph/", "node_modules/@ts-morph/", "ts-morph"],
  typescript: ["node_modules/typescript/"],
  "openapi-typescript": ["node_modules/openapi-typescript/", "openapi-typescript"],
  ajv: ["node_modules/ajv/", "ajv/dist", "KeywordCxt", "ajv-formats"],
  yaml: ["node_modules/yaml/", "YAMLParseError", "YAMLMap"],
  prettier: ["node_modules/prettier/", "prettier/plugins", "prettier"],
};
/** Packages that are meant to be there: the same search must find them, or it proves nothing. */
const EXPECTED = ["hono", "fast-xml-parser"];

async function build(
  name: string,
  extra: string[],
): Promise<{ dir: URL; js: string; meta: Meta; wranglerSays: string }> {
  const dir = new URL(`${name}/`, outDir);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const stdout = await dryRunBuild(dir.pathname, ["--metafile", new URL("meta.json", dir).pathname, ...extra]);
  const wranglerSays = /Total Upload:.*$/m.exec(stdout)?.[0] ?? "";
  return {
    dir,
    js: readFileSync(new URL("index.js", dir), "utf8"),
    meta: JSON.parse(readFileSync(new URL("meta.json", dir), "utf8")) as Meta,
    wranglerSays,
  };
}

interface Meta {
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }>;
}

const packageOf = (input: string) =>
  /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? input.split("/").slice(0, 2).join("/");

/** Bytes in the output per package (node_modules) or per source folder, from esbuild's metafile. */
function composition(meta: Meta): { inputs: string[]; byPackage: [string, number][] } {
  const out = Object.entries(meta.outputs).find(([k]) => k.endsWith("index.js"))![1];
  const by = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(out.inputs))
    by.set(packageOf(input), (by.get(packageOf(input)) ?? 0) + bytesInOutput);
  return { inputs: Object.keys(out.inputs), byPackage: [...by].sort((a, b) => b[1] - a[1]) };
}

/**
 * gzip share per package: the unminified bundle marks every module with a `// path` comment, so it is cut at
 * those markers and each package's sections are gzipped on their own (an upper bound: no shared dictionary).
 */
function gzipByPackage(js: string): [string, number][] {
  const marker = /^\/\/ ((?:node_modules\/)?[\w@./-]+\.(?:[cm]?js|ts|json))$/gm;
  const cuts = [...js.matchAll(marker)];
  const by = new Map<string, string>();
  cuts.forEach((m, i) => {
    const text = js.slice(m.index, cuts[i + 1]?.index ?? js.length);
    by.set(packageOf(m[1]!), (by.get(packageOf(m[1]!)) ?? "") + text);
  });
  return [...by].map(([k, text]) => [k, gzipSync(text).length] as [string, number]).sort((a, b) => b[1] - a[1]);
}

function scan(js: string, inputs: string[]) {
  const hits = (markers: string[]) =>
    Object.fromEntries(markers.map((m) => [m, js.split(m).length - 1]).filter(([, n]) => (n as number) > 0));
  const forbidden = Object.entries(FORBIDDEN).map(([pkg, markers]) => {
    const inMetafile = inputs.filter((i) => packageOf(i) === pkg);
    const textHits = hits(markers);
    return {
      package: pkg,
      inMetafile: inMetafile.length,
      textHits,
      absent: !inMetafile.length && !Object.keys(textHits).length,
    };
  });
  const control = EXPECTED.map((pkg) => ({
    package: pkg,
    inMetafile: inputs.filter((i) => packageOf(i) === pkg).length,
    textHits: hits([`node_modules/${pkg}/`]),
  }));
  return { forbidden, control };
}

// ---- start-up ----

const HELLO = `export default { async fetch() { return new Response("hello"); } };\n`;
const DO_STUB =
  "data:text/javascript,export class DurableObject { constructor(ctx, env) { this.ctx = ctx; this.env = env; } }";

/** Node cannot resolve cloudflare:workers: point it at a stub class (the Durable Objects only extend it). */
function nodeLoadable(js: string): string {
  return js.replaceAll(/from\s*"cloudflare:workers"/g, `from ${JSON.stringify(DO_STUB)}`);
}

/** One fresh V8 isolate (worker thread): time to a running thread, then to the module evaluated. */
function nodeStart(file: URL): Promise<{ totalMs: number; importMs: number }> {
  const started = performance.now();
  const code = `
    const { parentPort } = require("node:worker_threads");
    const t = performance.now();
    import(${JSON.stringify(file.href)}).then((m) => {
      if (typeof m.default?.fetch !== "function") throw new Error("no fetch handler");
      parentPort.postMessage(performance.now() - t);
    });`;
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true });
    w.once("message", (importMs: number) => {
      const totalMs = performance.now() - started;
      void w.terminate().then(() => resolve({ totalMs, importMs }));
    });
    w.once("error", reject);
  });
}

const COMPAT_DATE = "2025-09-01";

/** A workerd config serving one ES module Worker on a loopback port (what wrangler dev and Miniflare generate). */
function workerdConfig(moduleFile: string, port: number): string {
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [ (name = "index.js", esModule = embed "${moduleFile}") ],
  compatibilityDate = "${COMPAT_DATE}",
  compatibilityFlags = ["nodejs_compat"],
  bindings = [ (name = "TENANTS", text = "[]") ],
);
`;
}

/** workerd itself (the runtime under wrangler dev and Miniflare): process spawn to the first answered request. */
async function workerdStart(name: string, moduleFile: string, path: string): Promise<{ firstRequestMs: number }> {
  const port = await freePort();
  const configFile = new URL(`startup/${name}.capnp`, outDir);
  writeFileSync(configFile, workerdConfig(moduleFile, port));
  const started = performance.now();
  const child = spawn(new URL("node_modules/.bin/workerd", root).pathname, ["serve", configFile.pathname], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  try {
    const deadline = started + 30_000;
    while (performance.now() < deadline) {
      if (child.exitCode !== null) break;
      try {
        const res = await fetch(`http://127.0.0.1:${port}${path}`);
        await res.text();
        if (res.ok) return { firstRequestMs: performance.now() - started };
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    throw new Error(`workerd (${name}) did not answer:\n${stderr.slice(-2000)}`);
  } finally {
    child.kill("SIGTERM");
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main(): Promise<void> {
  const started = performance.now();
  process.stderr.write("wrangler deploy --dry-run (as deployed, and with --minify)…\n");
  const plain = await build("bundle", []);
  const minified = await build("bundle-min", ["--minify"]);
  const gz = (s: string) => gzipSync(s).length;
  const { inputs, byPackage } = composition(plain.meta);
  const found = scan(plain.js, inputs);
  const gzShares = gzipByPackage(plain.js);

  // Start-up: gateway bundle vs hello world, alternating, same harness.
  const helloFile = new URL("startup/hello.mjs", outDir);
  const gatewayFile = new URL("startup/gateway.mjs", outDir);
  mkdirSync(new URL("startup/", outDir), { recursive: true });
  writeFileSync(helloFile, HELLO);
  const minifiedFile = new URL("startup/gateway-min.mjs", outDir);
  writeFileSync(gatewayFile, nodeLoadable(plain.js));
  writeFileSync(minifiedFile, nodeLoadable(minified.js));
  process.stderr.write(`start-up in Node worker threads (${NODE_RUNS} each)…\n`);
  const node = {
    gateway: [] as { totalMs: number; importMs: number }[],
    minified: [] as { totalMs: number; importMs: number }[],
    hello: [] as { totalMs: number; importMs: number }[],
  };
  for (let i = 0; i < NODE_RUNS; i++) {
    node.gateway.push(await nodeStart(gatewayFile));
    node.minified.push(await nodeStart(minifiedFile));
    node.hello.push(await nodeStart(helloFile));
  }
  process.stderr.write(`start-up in workerd (${WORKERD_RUNS} each)…\n`);
  const wd = { gateway: [] as number[], hello: [] as number[] };
  writeFileSync(new URL("startup/gateway-worker.js", outDir), plain.js);
  for (let i = 0; i < WORKERD_RUNS; i++) {
    wd.gateway.push((await workerdStart("gateway", "gateway-worker.js", "/healthz")).firstRequestMs);
    wd.hello.push((await workerdStart("hello", "hello.mjs", "/")).firstRequestMs);
  }

  const startup = {
    node: {
      runs: NODE_RUNS,
      gatewayImportMs: median(node.gateway.map((r) => r.importMs)),
      minifiedImportMs: median(node.minified.map((r) => r.importMs)),
      helloImportMs: median(node.hello.map((r) => r.importMs)),
      gatewayTotalMs: median(node.gateway.map((r) => r.totalMs)),
      helloTotalMs: median(node.hello.map((r) => r.totalMs)),
      /** fresh isolate + module evaluation, gateway / hello world */
      ratio: 0,
    },
    workerd: {
      runs: WORKERD_RUNS,
      gatewayFirstRequestMs: median(wd.gateway),
      helloFirstRequestMs: median(wd.hello),
      /** workerd spawn to first answered request, gateway / hello world */
      ratio: 0,
    },
  };
  startup.node.ratio = startup.node.gatewayTotalMs / startup.node.helloTotalMs;
  startup.workerd.ratio = startup.workerd.gatewayFirstRequestMs / startup.workerd.helloFirstRequestMs;

  const sizes = {
    asDeployed: { rawBytes: Buffer.byteLength(plain.js), gzipBytes: gz(plain.js), wrangler: plain.wranglerSays },
    minified: { rawBytes: Buffer.byteLength(minified.js), gzipBytes: gz(minified.js), wrangler: minified.wranglerSays },
  };

  console.log(`\nhisgate Worker bundle (${machine().cpu}, ${machine().nproc} CPUs, Node ${process.version})\n`);
  console.log(
    table(
      ["build", "raw KiB", "gzip KiB", "wrangler says", "target gzip ≤ 100 KiB"],
      (["asDeployed", "minified"] as const).map((k) => [
        k === "asDeployed" ? "as deployed (wrangler.jsonc)" : "--minify",
        (sizes[k].rawBytes / KiB).toFixed(1),
        (sizes[k].gzipBytes / KiB).toFixed(1),
        sizes[k].wrangler.replace("Total Upload: ", ""),
        sizes[k].gzipBytes <= 100 * KiB ? "met" : "MISSED",
      ]),
    ),
  );
  console.log("\nlargest parts (unminified bytes in output from the metafile; gzip of each part alone)\n");
  const gzOf = new Map(gzShares);
  console.log(
    table(
      ["part", "KiB", "gzip KiB"],
      byPackage.slice(0, 14).map(([k, b]) => [k, (b / KiB).toFixed(1), ((gzOf.get(k) ?? 0) / KiB).toFixed(1)]),
    ),
  );
  console.log("\nbuild-time packages in the bundle (metafile inputs + text markers)\n");
  console.log(
    table(
      ["package", "metafile inputs", "text hits", "absent"],
      [
        ...found.forbidden.map((f) => [f.package, f.inMetafile, JSON.stringify(f.textHits), f.absent ? "yes" : "NO"]),
        ...found.control.map((c) => [`${c.package} (control)`, c.inMetafile, JSON.stringify(c.textHits), "-"]),
      ],
    ),
  );
  console.log("\nmodule start-up, gateway vs hello-world Worker (medians)\n");
  console.log(
    table(
      ["harness", "gateway ms", "hello ms", "ratio"],
      [
        [
          `Node worker thread: new isolate + import (${NODE_RUNS}×)`,
          fmt(startup.node.gatewayTotalMs),
          fmt(startup.node.helloTotalMs),
          startup.node.ratio.toFixed(2),
        ],
        [
          "  of which import() alone",
          fmt(startup.node.gatewayImportMs),
          fmt(startup.node.helloImportMs),
          (startup.node.gatewayImportMs / startup.node.helloImportMs).toFixed(1),
        ],
        [
          "  import() of the --minify bundle",
          fmt(startup.node.minifiedImportMs),
          fmt(startup.node.helloImportMs),
          (startup.node.minifiedImportMs / startup.node.helloImportMs).toFixed(1),
        ],
        [
          `workerd serve: spawn → first response (${WORKERD_RUNS}×)`,
          fmt(startup.workerd.gatewayFirstRequestMs),
          fmt(startup.workerd.helloFirstRequestMs),
          startup.workerd.ratio.toFixed(2),
        ],
      ],
    ),
  );

  const out = {
    generatedAt: new Date().toISOString(),
    machine: machine(),
    sizes,
    targetGzipKiB: 100,
    composition: byPackage.map(([part, bytes]) => ({ part, bytes, gzipAlone: gzOf.get(part) ?? null })),
    forbiddenPackages: found.forbidden,
    controls: found.control,
    startup,
    elapsedSeconds: Math.round((performance.now() - started) / 100) / 10,
  };
  await writeResults(new URL("./bundle-results.json", import.meta.url), out);
  console.log(`\nwrote bench/bundle-results.json in ${out.elapsedSeconds} s`);
  if (found.forbidden.some((f) => !f.absent)) process.exitCode = 1;
}

await main();
