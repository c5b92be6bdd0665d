// Renders a workerd configuration (Cap'n Proto text, the format of workerd's samples and of
// node_modules/workerd/workerd.capnp) from the plans of the Workers a build produced. Pure: the build writes the
// operator's dist/hisgate.capnp with it, serve the configuration of one run.
import type { PlannedBinding, WorkerPlan } from "./plan.js";
import { TENANTS } from "./plan.js";

export interface BuiltModule {
  name: string;
  type: "esModule" | "commonJsModule" | "text" | "data" | "wasm" | "json";
  /** Where the file is, as the config's `embed` should spell it (relative to the config file, or /… via -I). */
  embed: string;
}

export interface BuiltWorker {
  plan: WorkerPlan;
  modules: BuiltModule[];
}

export interface ServerConfig {
  /** The Worker the socket serves; the others are reachable only through its service bindings. */
  main: BuiltWorker;
  others?: BuiltWorker[];
  /** host:port, or a socket name's address workerd's --socket-addr http=… overrides. */
  listen: string;
  /** The data directory (Durable Objects' SQLite files); --directory-path state=… overrides. */
  dataDir: string;
  /** How TENANTS is read: `embed` of a file (as the config spells the path), or the environment. */
  tenants: { embed: string } | { fromEnvironment: string };
  /** Values for the main Worker's variables and secrets (text), replacing wrangler.jsonc's and the environment's. */
  vars?: Record<string, string>;
  /** Extra CA certificates (PEM files, as the config spells their paths) trusted for https to the HIS. */
  caCertificates?: string[];
  /** Header comment lines. */
  comment?: string[];
}

/** A Cap'n Proto text literal: UTF-8 as is, quotes, backslashes and control characters escaped. */
export function capnpText(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '"' || ch === "\\") out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

/** List items, one per line, comma-separated. */
const list = (items: string[]) => items.map((i) => `    ${i}`).join(",\n");

/** A Cap'n Proto constant name (camelCase, no underscores) for a service name such as "hisgate-demo-his". */
const ident = (name: string) =>
  name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part, i) =>
      i === 0 ? part.replace(/^[A-Z]/, (c) => c.toLowerCase()) : part[0]!.toUpperCase() + part.slice(1),
    )
    .join("");

/** The module of a generated helper Worker that stands in for a Cloudflare binding (see plan.ts). */
const HELPERS: Record<"ratelimit" | "analytics", string> = {
  // Fixed window per key, as Cloudflare's local simulation counts; state in this isolate's memory.
  ratelimit: `import { WorkerEntrypoint } from "cloudflare:workers";
const windows = new Map();
export default class RateLimit extends WorkerEntrypoint {
  limit({ key }) {
    const period = Number(this.env.PERIOD) * 1000;
    const window = Math.floor(Date.now() / period);
    const seen = windows.get(key);
    const count = seen && seen.window === window ? seen.count + 1 : 1;
    if (!seen && windows.size >= 100000) for (const [k, v] of windows) if (v.window !== window) windows.delete(k);
    windows.set(key, { window, count });
    return { success: count <= Number(this.env.LIMIT) };
  }
}
`,
  analytics: `import { WorkerEntrypoint } from "cloudflare:workers";
export default class Analytics extends WorkerEntrypoint {
  writeDataPoint(point) {
    console.log(JSON.stringify({ level: "info", event: "analytics", dataset: this.env.DATASET, ...(point ?? {}) }));
  }
}
`,
};

interface Helper {
  service: string;
  kind: keyof typeof HELPERS;
  bindings: string[];
}

function renderBinding(
  worker: BuiltWorker,
  b: PlannedBinding,
  config: ServerConfig,
  helpers: Helper[],
  isMain: boolean,
): string | undefined {
  const name = capnpText(b.name);
  const override = isMain ? config.vars?.[b.name] : undefined;
  if (override !== undefined && (b.kind === "text" || b.kind === "json" || b.kind === "secret"))
    return `(name = ${name}, text = ${capnpText(override)})`;
  switch (b.kind) {
    case "text":
      return `(name = ${name}, text = ${capnpText(b.value)})`;
    case "json":
      return `(name = ${name}, json = ${capnpText(b.value)})`;
    case "secret":
      // TENANTS is the gateway's; another Worker of the build (the demo HIS) does not get the hospitals' keys.
      if (b.name === TENANTS && !isMain) return undefined;
      if (b.name === TENANTS)
        return "embed" in config.tenants
          ? `(name = ${name}, text = embed ${capnpText(config.tenants.embed)})`
          : `(name = ${name}, fromEnvironment = ${capnpText(config.tenants.fromEnvironment)})`;
      return `(name = ${name}, fromEnvironment = ${name})`;
    case "durableObject":
      return `(name = ${name}, durableObjectNamespace = ${capnpText(b.className)})`;
    case "service":
      return b.entrypoint
        ? `(name = ${name}, service = (name = ${capnpText(b.worker)}, entrypoint = ${capnpText(b.entrypoint)}))`
        : `(name = ${name}, service = ${capnpText(b.worker)})`;
    case "ratelimit":
    case "analytics": {
      const service = `${worker.plan.name}:${b.kind}:${b.name}`;
      helpers.push({
        service,
        kind: b.kind,
        bindings:
          b.kind === "ratelimit"
            ? [`(name = "LIMIT", json = "${b.limit}")`, `(name = "PERIOD", json = "${b.period}")`]
            : [`(name = "DATASET", text = ${capnpText(b.dataset)})`],
      });
      return `(name = ${name}, service = ${capnpText(service)})`;
    }
    case "absent":
      return undefined;
  }
}

function renderWorker(worker: BuiltWorker, config: ServerConfig, helpers: Helper[], isMain: boolean): string {
  const { plan } = worker;
  const bindings: string[] = [];
  const leftOut: string[] = [];
  for (const b of plan.bindings) {
    const line = renderBinding(worker, b, config, helpers, isMain);
    if (line) bindings.push(line);
    else if (b.kind === "absent") leftOut.push(`  # ${b.name}: ${b.type} left out (${b.why})`);
  }
  if (isMain)
    for (const [name, value] of Object.entries(config.vars ?? {}))
      if (!plan.bindings.some((b) => b.name === name))
        bindings.push(`(name = ${capnpText(name)}, text = ${capnpText(value)})`);
  const modules = worker.modules.map((m) => `(name = ${capnpText(m.name)}, ${m.type} = embed ${capnpText(m.embed)})`);
  const lines = [
    `const ${ident(plan.name)}Worker :Workerd.Worker = (`,
    `  modules = [`,
    list(modules),
    `  ],`,
    `  compatibilityDate = ${capnpText(plan.compatibilityDate)},`,
    `  compatibilityFlags = [${plan.compatibilityFlags.map(capnpText).join(", ")}],`,
    ...leftOut,
    `  bindings = [`,
    list(bindings),
    `  ],`,
    // Outbound fetch() may reach the hospital's intranet (the HIS at a private address) as well as the internet.
    `  globalOutbound = "internet",`,
  ];
  if (plan.durableObjects.length)
    lines.push(
      `  durableObjectNamespaces = [`,
      list(
        plan.durableObjects.map(
          (d) =>
            `(className = ${capnpText(d.className)}, uniqueKey = ${capnpText(d.uniqueKey)}${d.enableSql ? ", enableSql = true" : ""})`,
        ),
      ),
      `  ],`,
      `  durableObjectStorage = (localDisk = "state"),`,
    );
  lines.push(`);`);
  return lines.join("\n");
}

export function renderServerConfig(config: ServerConfig): string {
  const workers = [config.main, ...(config.others ?? [])];
  const helpers: Helper[] = [];
  const workerConsts = workers.map((w, i) => renderWorker(w, config, helpers, i === 0));
  const notes = workers.flatMap((w) => w.plan.notes.map((n) => `${w.plan.name}: ${n}`));
  const services = [
    ...workers.map((w) => `(name = ${capnpText(w.plan.name)}, worker = .${ident(w.plan.name)}Worker)`),
    ...helpers.map((h) => `(name = ${capnpText(h.service)}, worker = .${ident(h.service)})`),
    `(name = "state", disk = (path = ${capnpText(config.dataDir)}, writable = true))`,
    `(name = "internet", network = (allow = ["public", "private", "local"], tlsOptions = (trustBrowserCas = true${
      config.caCertificates?.length
        ? `, trustedCertificates = [${config.caCertificates.map((c) => `embed ${capnpText(c)}`).join(", ")}]`
        : ""
    })))`,
  ];
  const helperConsts = helpers.map((h) =>
    [
      `const ${ident(h.service)} :Workerd.Worker = (`,
      `  modules = [(name = "${h.kind}.js", esModule = ${capnpText(HELPERS[h.kind])})],`,
      `  compatibilityDate = ${capnpText(config.main.plan.compatibilityDate)},`,
      `  bindings = [${h.bindings.join(", ")}],`,
      `);`,
    ].join("\n"),
  );
  return [
    ...(config.comment ?? []).map((l) => `# ${l}`.trimEnd()),
    ...(notes.length ? ["#", "# Differences from Cloudflare:", ...notes.map((n) => `# - ${n}`)] : []),
    "",
    `using Workerd = import "/workerd/workerd.capnp";`,
    "",
    `const config :Workerd.Config = (`,
    `  services = [`,
    list(services),
    `  ],`,
    // No Cloudflare edge in front sets CF-Connecting-IP here: a client could send its own and pass a tenant's
    // clientIps. The header is removed on the way in; the Worker then takes the TCP peer (request.cf.clientIp).
    `  sockets = [(name = "http", address = ${capnpText(config.listen)}, service = ${capnpText(config.main.plan.name)},`,
    `    http = (injectRequestHeaders = [(name = "CF-Connecting-IP")]))],`,
    `);`,
    "",
    ...[...workerConsts, ...helperConsts].flatMap((c) => [c, ""]),
  ].join("\n");
}
