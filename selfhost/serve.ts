// `npm run serve -- --tenants <file> --data <dir> [--host 127.0.0.1] [--port 8080] [--var NAME=value] [--dist dir]`
// `npm run serve -- --demo`
//
// The gateway on the hospital's own server: the bundle `wrangler deploy` would upload, under workerd (no wrangler,
// no Cloudflare account), Durable Objects in SQLite files under --data, TENANTS from a file. serve checks its input,
// writes the run's workerd config to <data>/.serve/hisgate.capnp and supervises workerd: the Worker's JSON lines go
// straight to stdout, workerd's own messages are turned into JSON lines there too, SIGTERM/SIGINT drain requests in
// flight (workerd stops accepting, finishes what it has, exits; after --grace seconds it is killed).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, parseEnv } from "node:util";
import type { Manifest } from "./build.js";
import { renderServerConfig } from "./capnp.js";
import { checkDataDir, checkPortFree, checkTenantsFile, UsageError } from "./checks.js";
import { TENANTS } from "./plan.js";

const root = fileURLToPath(new URL("..", import.meta.url));
/** The workerd binary of the `workerd` package (the one wrangler runs); CommonJS, its path is the default export. */
const workerdPath = (createRequire(import.meta.url)("workerd") as { default: string }).default;

export interface ServeOptions {
  tenants: string;
  data: string;
  host: string;
  port: number;
  vars: Record<string, string>;
  ca: string[];
  dist?: string;
  demo: boolean;
  graceSeconds: number;
}

class HelpRequested extends Error {}

const USAGE =
  "usage: npm run serve -- --tenants <file> --data <dir> [--host 127.0.0.1] [--port 8080] [--var NAME=value]… [--env-file <file>]… [--ca <pem>]… [--dist <dir>] [--grace <s>] | --demo";

/** One JSON line on stdout, the same shape as the Worker's own log lines. */
function log(level: "info" | "warn" | "error", event: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ level, event, ...fields })}\n`);
}

/** The demo tenants: the ones `npm run dev` uses (dev/dev.env), served by the demo HIS through DEMO_HIS. */
function demoTenants(): string {
  const env = readFileSync(join(root, "dev/dev.env"), "utf8");
  const value = /^TENANTS='(.*)'$/m.exec(env)?.[1];
  if (!value) throw new UsageError("dev/dev.env holds no TENANTS='…' line");
  return value;
}

export function parseServeArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ServeOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        tenants: { type: "string" },
        data: { type: "string" },
        host: { type: "string", default: "127.0.0.1" },
        port: { type: "string", default: "8080" },
        var: { type: "string", multiple: true, default: [] },
        "env-file": { type: "string", multiple: true, default: [] },
        ca: { type: "string", multiple: true, default: [] },
        dist: { type: "string" },
        demo: { type: "boolean", default: false },
        grace: { type: "string", default: "30" },
        help: { type: "boolean", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new UsageError(`${(e as Error).message} (--help for usage)`);
  }
  if (values.help) throw new HelpRequested();
  const demo = values.demo!;
  if (!demo && !values.tenants) throw new UsageError("--tenants <file> is required (or --demo; --help for usage)");
  if (!demo && !values.data) throw new UsageError("--data <dir> is required (or --demo; --help for usage)");
  if (demo && values.tenants) throw new UsageError("--demo brings its own tenants (dev/dev.env): drop --tenants");
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port ${values.port}: not a port number (0-65535)`);
  const graceSeconds = Number(values.grace);
  if (!Number.isFinite(graceSeconds) || graceSeconds < 0) throw new UsageError(`--grace ${values.grace}: not seconds`);
  const vars: Record<string, string> = {};
  for (const file of values["env-file"]!) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      throw new UsageError(`--env-file ${file}: cannot read it: ${(e as NodeJS.ErrnoException).code ?? e}`);
    }
    // The dotenv format wrangler dev's --env-file reads (Node's own parser): NAME=value lines, # comments, quotes.
    for (const [name, value] of Object.entries(parseEnv(text))) {
      if (name === TENANTS) throw new UsageError(`--env-file ${file}: TENANTS comes from --tenants <file>`);
      if (value !== undefined) vars[name] = value;
    }
  }
  for (const v of values.var!) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:=([\s\S]*))?$/.exec(v);
    if (!m) throw new UsageError(`--var ${v}: expected NAME=value (or NAME, to take it from the environment)`);
    const [, name, value] = m;
    if (name === TENANTS) throw new UsageError("--var TENANTS: tenants come from --tenants <file>");
    if (value !== undefined) vars[name!] = value;
    else if (env[name!] !== undefined) vars[name!] = env[name!]!;
    else throw new UsageError(`--var ${name}: not set in the environment`);
  }
  const data = resolve(values.data ?? join(root, ".wrangler/serve-demo"));
  return {
    tenants: demo ? join(data, ".serve/demo-tenants.json") : resolve(values.tenants!),
    data,
    host: values.host!,
    port,
    vars,
    ca: values.ca!.map((c) => resolve(c)),
    ...(values.dist ? { dist: resolve(values.dist) } : {}),
    demo,
    graceSeconds,
  };
}

/** Variables declared in wrangler.jsonc (vars, secrets.required) that the environment sets, then --var on top. */
export function varsFor(manifest: Manifest, options: ServeOptions, env: NodeJS.ProcessEnv): Record<string, string> {
  const declared = (options.demo ? manifest.gatewayDemo : manifest.gateway).plan.bindings.filter(
    (b) => (b.kind === "text" || b.kind === "json" || b.kind === "secret") && b.name !== TENANTS,
  );
  const fromEnv = Object.fromEntries(
    declared.filter((b) => env[b.name] !== undefined).map((b) => [b.name, env[b.name]!]),
  );
  return { ...fromEnv, ...options.vars };
}

/** The config of this run: written beside the data (never inside dist/), paths relative to it. */
export function runConfig(manifest: Manifest, options: ServeOptions, dist: string, configDir: string): string {
  const rel = (p: string) => {
    const r = relative(configDir, p);
    return isAbsolute(r) ? r : r.startsWith(".") ? r : `./${r}`;
  };
  const gateway = options.demo ? manifest.gatewayDemo : manifest.gateway;
  const relocate = (w: Manifest["gateway"]) => ({
    ...w,
    modules: w.modules.map((m) => ({ ...m, embed: rel(join(dist, m.embed)) })),
  });
  return renderServerConfig({
    main: relocate(gateway),
    others: options.demo ? [relocate(manifest.demoHis)] : [],
    listen: `${options.host.includes(":") ? `[${options.host}]` : options.host}:${options.port}`,
    dataDir: options.data,
    tenants: { embed: rel(options.tenants) },
    vars: varsFor(manifest, options, process.env),
    caCertificates: options.ca.map(rel),
    comment: [`Written by \`npm run serve\` for one run (${new Date().toISOString()}); regenerated at every start.`],
  });
}

function readManifest(dist: string): Manifest {
  const file = join(dist, "hisgate.json");
  if (!existsSync(file)) throw new UsageError(`--dist ${dist}: no hisgate.json in it (run npm run build)`);
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Manifest;
  } catch (e) {
    throw new UsageError(`--dist ${dist}: hisgate.json is unreadable: ${(e as Error).message}`);
  }
}

/** workerd's own stderr lines (startup notes, uncaught exceptions) as JSON lines on stdout. */
function relayStderr(child: ChildProcess, recent: string[]): void {
  createInterface({ input: child.stderr! }).on("line", (line) => {
    if (!line.trim()) return;
    recent.push(line);
    if (recent.length > 20) recent.shift();
    if (line.startsWith("{")) process.stdout.write(`${line}\n`);
    else log(/error|failed|exception/i.test(line) ? "error" : "warn", "workerd", { message: line });
  });
}

/** workerd as a child that dies with this process: setpriv's parent-death signal where the system has it. */
function spawnWorkerd(args: string[]): ChildProcess {
  const stdio: ("ignore" | "inherit" | "pipe")[] = ["ignore", "inherit", "pipe", "pipe"];
  const setpriv = spawnSync("setpriv", ["--help"], { stdio: "ignore" }).status === 0;
  return setpriv
    ? spawn("setpriv", ["--pdeathsig", "KILL", "--", workerdPath, ...args], { stdio })
    : spawn(workerdPath, args, { stdio });
}

export async function serve(options: ServeOptions): Promise<number> {
  checkDataDir(options.data);
  if (options.demo) {
    mkdirSync(dirname(options.tenants), { recursive: true });
    writeFileSync(options.tenants, demoTenants(), { mode: 0o600 });
  }
  const tenantCount = checkTenantsFile(options.tenants);
  for (const c of options.ca) if (!existsSync(c)) throw new UsageError(`--ca ${c}: no such file`);
  await checkPortFree(options.host, options.port);

  let dist = options.dist;
  if (!dist) {
    dist = join(root, "dist");
    log("info", "serve.build", { dist });
    const { build } = await import("./build.js");
    await build(dist);
  }
  const manifest = readManifest(dist);
  const configDir = join(options.data, ".serve");
  mkdirSync(configDir, { recursive: true });
  const configFile = join(configDir, "hisgate.capnp");
  writeFileSync(configFile, runConfig(manifest, options, dist, configDir), { mode: 0o600 });

  const child = spawnWorkerd(["serve", configFile, "--control-fd", "3"]);
  const recent: string[] = [];
  relayStderr(child, recent);
  let listening = false;
  createInterface({ input: child.stdio[3] as NodeJS.ReadableStream }).on("line", (line) => {
    try {
      const m = JSON.parse(line) as { event?: string; port?: number };
      if (m.event === "listen" && !listening) {
        listening = true;
        log("info", "serve.listening", {
          url: `http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${m.port}`,
          port: m.port,
          data: options.data,
          tenants: tenantCount,
          demo: options.demo,
          commit: manifest.commit,
          pid: process.pid,
          workerdPid: child.pid,
        });
      }
    } catch {
      // not a control message this version knows
    }
  });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log("info", "serve.stopping", { signal, graceSeconds: options.graceSeconds });
    child.kill("SIGTERM");
    setTimeout(() => {
      log("warn", "serve.killed", { reason: `requests still in flight after ${options.graceSeconds} s` });
      child.kill("SIGKILL");
    }, options.graceSeconds * 1000).unref();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));

  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done) =>
    child.once("exit", (c, s) => done([c, s])),
  );
  if (!listening && !stopping) {
    // It never served: say why in one line (the last thing workerd said), not as a log stream.
    const why = recent.filter((l) => !/became the default/.test(l)).at(-1) ?? `exit ${code ?? signal}`;
    throw new UsageError(`workerd did not start: ${why}`);
  }
  log(stopping && code === 0 ? "info" : "error", "serve.stopped", { code, signal });
  return stopping && code === 0 ? 0 : (code ?? 1) || 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    process.exitCode = await serve(parseServeArgs(process.argv.slice(2)));
  } catch (e) {
    if (e instanceof HelpRequested) {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    // Bad input: one line, no stack trace. Anything else is a fault of serve itself: still one line.
    const message = e instanceof UsageError ? e.message : `${(e as Error)?.message ?? e}`;
    process.stderr.write(`hisgate serve: ${message}\n`);
    process.exitCode = e instanceof UsageError ? 2 : 1;
  }
}
