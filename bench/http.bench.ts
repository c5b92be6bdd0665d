// HTTP load test, loopback only and bounded in time: the gateway against a bare passthrough Worker
// (bench/passthrough/), both in front of the same stub HIS (bench/his-stub.mjs, node:http on 127.0.0.1 in its own
// thread), in two setups: both under `wrangler dev` (workerd behind wrangler's proxy), and both under plain workerd
// (the gateway through `npm run serve`, the hospital-server mode, the passthrough with a config from the same
// renderer). autocannon drives pre-built, signed envelopes. The figure that matters is the ratio gateway /
// passthrough, measured in the same run. Serve mode also measures cold start: spawn to the first answered request,
// as a ratio to a hello-world Worker under the same workerd. Serve mode also measures what the message trail costs:
// the same build served twice, once with MESSAGE_TRAIL=off, TestNet against both in alternating rounds.
//
//   npm run bench:http                        (package.json: "bench:http": "tsx bench/http.bench.ts")
//   HTTP_MODE=serve HTTP_DURATION=5 npm run bench:http
//   npm run bench:trail                       (HTTP_MODE=trail: the trail's cost only, bench/trail-results.json)
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import autocannon from "autocannon";
import { SEED_KEY, refDecrypt, refEnvelope, refReadReply, refReplySignatureOk } from "../test/support/reference.js";
import { build, dryRunBuild, modulesIn, readWranglerConfig, type Manifest } from "../selfhost/build.js";
import { renderServerConfig, type BuiltModule } from "../selfhost/capnp.js";
import { planWorker, type WorkerPlan } from "../selfhost/plan.js";
import { fmt, machine, table, writeResults } from "./machine.js";
import {
  queryRegisterRequest,
  queryRegisterResponse,
  testNetRequest,
  testNetResponse,
  toWireText,
  toWireXml,
  type Typed,
} from "./payloads.js";

const DURATION = Number(process.env.HTTP_DURATION ?? 10);
const WARMUP = Number(process.env.HTTP_WARMUP ?? 2);
const CONNECTIONS = Number(process.env.HTTP_CONNECTIONS ?? 10);
// The gateway and the passthrough are measured in alternating slices (gw, pt, pt, gw, …) so that a change in the
// machine's background load hits both sides alike; DURATION is the total per side and case.
const ROUNDS = Number(process.env.HTTP_ROUNDS ?? 2);
const HARD_LIMIT_MS = 20 * 60_000;
/** wrangler (wrangler dev, as before), serve (npm run serve and plain workerd), both (default), or trail (its cost only). */
const MODE = process.env.HTTP_MODE ?? "both";
const root = new URL("..", import.meta.url);
// Logs, build outputs and partial results; HTTP_OUT moves them (the test of the bench runs in a temporary directory).
const outDir = process.env.HTTP_OUT ? pathToFileURL(`${process.env.HTTP_OUT}/`) : new URL("./out/", import.meta.url);
mkdirSync(outDir, { recursive: true });

// ---- child processes: always killed, whatever happens ----

const children: ChildProcess[] = [];
let stub: Worker | undefined;

function killChildren(): void {
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) continue;
    try {
      // Each child leads its own process group (detached): this ends wrangler and the workerd it started.
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
}
process.on("exit", killChildren);

const groupAlive = (pgid: number): boolean => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Orderly stop: SIGTERM to wrangler alone (it stops its workerd and reaps it), then the group if it lingers. */
async function stopChildren(): Promise<void> {
  const live = children.filter((c) => c.pid !== undefined && c.exitCode === null && c.signalCode === null);
  for (const child of live) {
    try {
      process.kill(child.pid!, "SIGTERM");
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + 8000;
  while (Date.now() < deadline && live.some((c) => groupAlive(c.pid!))) await new Promise((r) => setTimeout(r, 100));
  for (const child of live) {
    if (!groupAlive(child.pid!)) continue;
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  }
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    killChildren();
    process.exit(130);
  });
}
const hardLimit = setTimeout(() => {
  console.error(`http bench: exceeded ${HARD_LIMIT_MS / 60_000} min, stopping`);
  killChildren();
  process.exit(1);
}, HARD_LIMIT_MS);
hardLimit.unref();

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** JSONC -> JSON: comments and trailing commas dropped, strings left alone. */
function stripJsonc(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      out += "\n";
    } else if (c === "/" && text[i + 1] === "*") {
      i = text.indexOf("*/", i + 2) + 1;
    } else out += c;
  }
  return out.replace(
    /("(?:[^"\\]|\\.)*")|,(\s*[}\]])/g,
    (_m, str: string | undefined, close: string | undefined) => str ?? close!,
  );
}

/**
 * The gateway as `npm run deploy` would upload it, frozen for the run: built once with
 * `wrangler deploy --dry-run --outdir`, then served with `wrangler dev --no-bundle` from bench/out, so that edits to
 * worker/src during the run (wrangler dev watches its sources and reloads) cannot restart it mid-measurement.
 */
async function frozenGateway(): Promise<string> {
  const dir = new URL("http-gateway/", outDir);
  await dryRunBuild(dir.pathname);
  const config = JSON.parse(stripJsonc(readFileSync(new URL("wrangler.jsonc", root), "utf8"))) as Record<
    string,
    unknown
  >;
  const { env: _env, $schema: _schema, ...topLevel } = config;
  writeFileSync(new URL("wrangler.json", dir), JSON.stringify({ ...topLevel, main: "index.js" }, null, 2));
  return new URL("wrangler.json", dir).pathname;
}

async function wranglerDev(
  name: string,
  config: string,
  vars: Record<string, string>,
  extra: string[] = [],
): Promise<string> {
  const port = await freePort();
  const inspectorPort = await freePort();
  const log = openSync(new URL(`${name}.log`, outDir), "w");
  const args = [
    new URL("node_modules/wrangler/bin/wrangler.js", root).pathname,
    "dev",
    "--config",
    config,
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--inspector-port",
    String(inspectorPort),
    "--persist-to",
    new URL(`wrangler-state-${name}`, outDir).pathname,
    "--show-interactive-dev-session=false",
    ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
    ...extra,
    // Diagnostics only, for both Workers alike, e.g. HTTP_WRANGLER_ARGS=--log-level=error.
    ...(process.env.HTTP_WRANGLER_ARGS ?? "").split(" ").filter(Boolean),
  ];
  const child = spawn(process.execPath, args, {
    cwd: root.pathname,
    detached: true,
    stdio: ["ignore", log, log],
    // No Request.cf download from workers.cloudflare.com, no telemetry: loopback only.
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: "false",
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      CI: "1",
      NO_COLOR: "1",
    },
  });
  closeSync(log);
  children.push(child);
  if (child.pid !== undefined) groups[name] = child.pid;
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) {
        await res.text();
        return url;
      }
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(
    `wrangler dev (${name}) did not come up; its log:\n${readFileSync(new URL(`${name}.log`, outDir), "utf8").slice(-3000)}`,
  );
}

// ---- where the CPU goes (Linux /proc): per process group, per command, and the machine as a whole ----

const TICK_MS = 10; // USER_HZ = 100 on Linux
/** Process groups of the two servers measured (wrangler dev or serve's node, and the workerd it starts). */
const groups: Record<string, number> = {};

function groupTicks(): Record<string, number> {
  const out: Record<string, number> = {};
  const byPgid = new Map(Object.entries(groups).map(([name, pgid]) => [pgid, name]));
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue;
    }
    const close = stat.lastIndexOf(")");
    const comm = stat.slice(stat.indexOf("(") + 1, close);
    const f = stat.slice(close + 2).split(" ");
    const group = byPgid.get(Number(f[2]));
    if (!group) continue;
    const key = `${group}:${comm === "workerd" ? "workerd" : "node"}`;
    out[key] = (out[key] ?? 0) + Number(f[11]) + Number(f[12]);
  }
  return out;
}

function machineTicks(): { busy: number; total: number } {
  const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = cpu[3]! + (cpu[4] ?? 0);
  const total = cpu.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

interface CpuSnapshot {
  groups: Record<string, number>;
  self: NodeJS.CpuUsage;
  machine: { busy: number; total: number };
}

const cpuSnapshot = (): CpuSnapshot => ({ groups: groupTicks(), self: process.cpuUsage(), machine: machineTicks() });

/** CPU ms per request by process, and how busy the machine was (all processes, ours and others'). */
function cpuSince(
  before: CpuSnapshot,
  requests: number,
): { msPerRequest: Record<string, number>; machineBusy: number; oursOfBusy: number } {
  const after = cpuSnapshot();
  const msPerRequest: Record<string, number> = {};
  let oursMs = 0;
  for (const [k, v] of Object.entries(after.groups)) {
    const ms = (v - (before.groups[k] ?? 0)) * TICK_MS;
    msPerRequest[k] = ms / Math.max(requests, 1);
    oursMs += ms;
  }
  const selfMs = (after.self.user - before.self.user + after.self.system - before.self.system) / 1000;
  msPerRequest["bench (autocannon + stub HIS)"] = selfMs / Math.max(requests, 1);
  oursMs += selfMs;
  const busy = after.machine.busy - before.machine.busy;
  const total = after.machine.total - before.machine.total;
  return { msPerRequest, machineBusy: busy / total, oursOfBusy: Math.min(1, oursMs / (busy * TICK_MS)) };
}

// ---- cases ----

interface HttpCase {
  name: string;
  service: string;
  format: "xml" | "json";
  envelope: string;
  /** The business answer the reply must carry, as wire text in the reply's format. */
  expectedPayload: string;
}

const hisAnswer = (data: Typed) => JSON.stringify({ resultCode: "SUCCESS", resultMessage: "成功", data });
const answers = { TestNet: hisAnswer(testNetResponse()), QueryRegister: hisAnswer(queryRegisterResponse(100)) };

function makeCase(name: string, service: string, format: "xml" | "json", request: Typed, response: Typed): HttpCase {
  const payload = format === "xml" ? toWireXml("request", request) : JSON.stringify(toWireText(request));
  const { body } = refEnvelope({ service, format, payload, key: SEED_KEY });
  const expectedPayload = format === "xml" ? toWireXml("response", response) : JSON.stringify(toWireText(response));
  return { name, service, format, envelope: body, expectedPayload };
}

const only = process.env.HTTP_FILTER;
const cases: HttpCase[] = [
  makeCase("TestNet", "TestNet", "xml", testNetRequest(), testNetResponse()),
  makeCase("TestNet", "TestNet", "json", testNetRequest(), testNetResponse()),
  makeCase("QueryRegister-100", "QueryRegister", "xml", queryRegisterRequest(), queryRegisterResponse(100)),
  makeCase("QueryRegister-100", "QueryRegister", "json", queryRegisterRequest(), queryRegisterResponse(100)),
].filter((c) => !only || `${c.name} ${c.format}`.includes(only));

// ---- load ----

interface Load {
  seconds: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  requests: number;
  errors: number;
  non2xx: number;
  mismatches: number;
  /** Length and first bytes of the first mismatched body, to tell a truncated read from a wrong answer. */
  firstMismatch?: { bytes: number; head: string };
  replyBytes: number;
  /** CPU ms per request by process group and command, while this side was under load. */
  cpuMsPerRequest: Record<string, number>;
  /** Share of all CPUs busy during the run (every process on the machine). */
  machineBusy: number;
  /** Share of that busy time spent in this benchmark's own processes (the rest: other work on the machine). */
  oursOfBusy: number;
}

async function load(url: string, body: string, expectBody: string, seconds: number): Promise<Load> {
  let firstMismatch: Load["firstMismatch"];
  // autocannon appends each body chunk to a string (body += chunk), so a multi-byte UTF-8 character split across
  // two chunks arrives as U+FFFD: the stub's answer (Chinese names) may then differ in its non-ASCII characters
  // only. Those are compared byte-exact on the first request (post()); under load, the ASCII skeleton must match.
  const ascii = (s: string) => s.replace(/[^\x00-\x7f]/g, "");
  const expectAscii = ascii(expectBody);
  const before = cpuSnapshot();
  const r = await autocannon({
    url,
    method: "POST",
    body,
    headers: { "content-type": "text/plain; charset=utf-8" },
    connections: CONNECTIONS,
    duration: seconds,
    verifyBody: (body) => {
      const got = typeof body === "string" ? body : (body?.toString("utf8") ?? "");
      if (got === expectBody || ascii(got) === expectAscii) return true;
      firstMismatch ??= { bytes: Buffer.byteLength(got, "utf8"), head: got.slice(0, 120) };
      return false;
    },
  });
  const cpu = cpuSince(before, r.requests.total);
  return {
    seconds: r.duration,
    reqPerSec: r.requests.total / r.duration,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    meanMs: r.latency.average,
    requests: r.requests.total,
    errors: r.errors,
    non2xx: r.non2xx,
    mismatches: r.mismatches,
    ...(firstMismatch ? { firstMismatch } : {}),
    replyBytes: Buffer.byteLength(expectBody, "utf8"),
    cpuMsPerRequest: cpu.msPerRequest,
    machineBusy: cpu.machineBusy,
    oursOfBusy: cpu.oursOfBusy,
  };
}

/** CPU ms per request of one side's server processes (workerd, and wrangler's or serve's node), load generator excluded. */
const serverCpu = (load: Load, side: string) =>
  (load.cpuMsPerRequest[`${side}:workerd`] ?? 0) + (load.cpuMsPerRequest[`${side}:node`] ?? 0);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Rounds of one side: req/s over the total time, latency percentiles as the median of the rounds'. */
function combine(rounds: Load[]): Load {
  const seconds = rounds.reduce((a, r) => a + r.seconds, 0);
  const requests = rounds.reduce((a, r) => a + r.requests, 0);
  const sum = (k: "errors" | "non2xx" | "mismatches") => rounds.reduce((a, r) => a + r[k], 0);
  const firstMismatch = rounds.find((r) => r.firstMismatch)?.firstMismatch;
  return {
    seconds,
    reqPerSec: requests / seconds,
    p50Ms: median(rounds.map((r) => r.p50Ms)),
    p99Ms: median(rounds.map((r) => r.p99Ms)),
    meanMs: rounds.reduce((a, r) => a + r.meanMs * r.requests, 0) / requests,
    requests,
    errors: sum("errors"),
    non2xx: sum("non2xx"),
    mismatches: sum("mismatches"),
    ...(firstMismatch ? { firstMismatch } : {}),
    replyBytes: rounds[0]!.replyBytes,
    cpuMsPerRequest: Object.fromEntries(
      Object.keys(rounds[0]!.cpuMsPerRequest).map((k) => [
        k,
        rounds.reduce((a, r) => a + (r.cpuMsPerRequest[k] ?? 0) * r.requests, 0) / requests,
      ]),
    ),
    machineBusy: rounds.reduce((a, r) => a + r.machineBusy * r.seconds, 0) / seconds,
    oursOfBusy: rounds.reduce((a, r) => a + r.oursOfBusy * r.seconds, 0) / seconds,
  };
}

async function post(url: string, body: string): Promise<string> {
  const res = await fetch(url, { method: "POST", body, headers: { "content-type": "text/plain; charset=utf-8" } });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.text();
}

/** The gateway's reply must be a signed SUCCESS carrying exactly the expected business answer. */
function checkGatewayReply(c: HttpCase, text: string): void {
  const reply = refReadReply(text);
  if (reply.resultCode !== "SUCCESS")
    throw new Error(`${c.name} ${c.format}: ${reply.resultCode} ${reply.resultMessage}`);
  if (!refReplySignatureOk(reply, SEED_KEY)) throw new Error(`${c.name} ${c.format}: reply signature`);
  if (refDecrypt(reply.responseEncrypted!, SEED_KEY) !== c.expectedPayload)
    throw new Error(`${c.name} ${c.format}: reply payload differs from the HIS answer`);
}

interface Row {
  case: string;
  format: "xml" | "json";
  requestBytes: number;
  gateway: Load;
  passthrough: Load;
  /** gateway req/s as a share of passthrough req/s. */
  throughputRatio: number;
  /** passthrough CPU per request / gateway CPU per request (workerd + node): robust to background load. */
  cpuRatio: number;
  roundRatios: number[];
  p50Ratio: number;
  p99Ratio: number;
}

/** Every case against both sides, in alternating rounds. */
async function measure(mode: string, gateway: string, passthrough: string): Promise<Row[]> {
  const rows: Row[] = [];
  for (const c of cases) {
    const gwUrl = `${gateway}/wd/api`;
    const ptUrl = `${passthrough}/${c.service}`;
    const gwBody = await post(gwUrl, c.envelope);
    checkGatewayReply(c, gwBody);
    const ptBody = await post(ptUrl, c.envelope);
    if (ptBody !== answers[c.service as keyof typeof answers]) throw new Error(`passthrough ${c.service}: wrong bytes`);

    process.stderr.write(`  ${mode}: ${c.name} ${c.format}: warm-up…\n`);
    await load(gwUrl, c.envelope, gwBody, WARMUP);
    await load(ptUrl, c.envelope, ptBody, WARMUP);
    const gwRounds: Load[] = [];
    const ptRounds: Load[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      process.stderr.write(`  ${mode}: ${c.name} ${c.format}: round ${round + 1}/${ROUNDS}…\n`);
      const slice = DURATION / ROUNDS;
      if (round % 2 === 0) {
        gwRounds.push(await load(gwUrl, c.envelope, gwBody, slice));
        ptRounds.push(await load(ptUrl, c.envelope, ptBody, slice));
      } else {
        ptRounds.push(await load(ptUrl, c.envelope, ptBody, slice));
        gwRounds.push(await load(gwUrl, c.envelope, gwBody, slice));
      }
    }
    const gw = combine(gwRounds);
    const pt = combine(ptRounds);
    rows.push({
      case: c.name,
      format: c.format,
      requestBytes: Buffer.byteLength(c.envelope, "utf8"),
      gateway: gw,
      passthrough: pt,
      throughputRatio: gw.reqPerSec / pt.reqPerSec,
      cpuRatio: serverCpu(pt, "passthrough") / serverCpu(gw, "gateway"),
      roundRatios: gwRounds.map((g, i) => g.reqPerSec / ptRounds[i]!.reqPerSec),
      p50Ratio: gw.p50Ms / pt.p50Ms,
      p99Ratio: gw.p99Ms / pt.p99Ms,
    });
  }
  return rows;
}

function faultsOf(mode: string, rows: Row[]): string[] {
  return [
    ...rows
      .filter((r) => r.roundRatios.some((x) => !Number.isFinite(x) || x === 0))
      .map((r) => `${mode} ${r.case} ${r.format}: a round answered no requests (${r.roundRatios.join(", ")})`),
    ...rows.flatMap((r) =>
      (["gateway", "passthrough"] as const)
        .filter((k) => r[k].errors + r[k].non2xx + r[k].mismatches > 0)
        .map(
          (k) =>
            `${mode} ${r.case} ${r.format} ${k}: errors ${r[k].errors}, non2xx ${r[k].non2xx}, mismatches ${r[k].mismatches}`,
        ),
    ),
  ];
}

function printRows(title: string, rows: Row[], targets?: (r: Row) => number): void {
  console.log(`\n${title}\n`);
  console.log(
    table(
      [
        "case",
        "fmt",
        "req B",
        "reply B",
        "gateway req/s",
        "p50",
        "p99",
        "passthrough req/s",
        "p50",
        "p99",
        "gw/pt req/s",
        "gw/pt by CPU",
        ...(targets ? ["target"] : []),
      ],
      rows.map((r) => [
        r.case,
        r.format,
        r.requestBytes,
        r.gateway.replyBytes,
        fmt(r.gateway.reqPerSec),
        `${r.gateway.p50Ms} ms`,
        `${r.gateway.p99Ms} ms`,
        fmt(r.passthrough.reqPerSec),
        `${r.passthrough.p50Ms} ms`,
        `${r.passthrough.p99Ms} ms`,
        `${(r.throughputRatio * 100).toFixed(0)}%`,
        `${(r.cpuRatio * 100).toFixed(0)}%`,
        ...(targets ? [`≥ ${targets(r) * 100}%: ${r.throughputRatio >= targets(r) ? "met" : "MISSED"}`] : []),
      ]),
    ),
  );
  console.log("\nCPU ms per request while each side was under load (all processes of its server)\n");
  const cpuRow = (r: Row, side: "gateway" | "passthrough") => {
    const c = r[side].cpuMsPerRequest;
    const own = (part: string) => c[`${side}:${part}`] ?? 0;
    return [
      `${r.case} ${r.format}`,
      side,
      own("workerd").toFixed(2),
      own("node").toFixed(2),
      (c["bench (autocannon + stub HIS)"] ?? 0).toFixed(2),
      `${(r[side].machineBusy * 100).toFixed(0)}%`,
      `${(r[side].oursOfBusy * 100).toFixed(0)}%`,
    ];
  };
  console.log(
    table(
      ["case", "side", "workerd", "node (wrangler / serve)", "autocannon + stub", "machine busy", "of which ours"],
      rows.flatMap((r) => [cpuRow(r, "gateway"), cpuRow(r, "passthrough")]),
    ),
  );
}

// ---- serve mode: both Workers under plain workerd, no wrangler ----

/** Serve-mode targets: gateway req/s as a share of the passthrough's. */
const SERVE_TARGET = (r: Row) => (r.case === "TestNet" ? 0.8 : 0.5);
const COLD_RUNS = Number(process.env.HTTP_COLD_RUNS ?? 5);
const workerdPath = (createRequire(import.meta.url)("workerd") as { default: string }).default;

/** Spawns a server in its own process group (for CPU accounting and cleanup), output to bench/out/<name>.log. */
function spawnServer(name: string, command: string, args: string[]): ChildProcess {
  const log = openSync(new URL(`${name}.log`, outDir), "w");
  const child = spawn(command, args, { cwd: root.pathname, detached: true, stdio: ["ignore", log, log] });
  closeSync(log);
  children.push(child);
  return child;
}

/** Polls until `url` answers what `ok` accepts; the time from `since` to that answer. */
async function firstAnswer(
  name: string,
  child: ChildProcess,
  since: number,
  url: string,
  init: RequestInit,
  ok: (text: string) => boolean,
): Promise<number> {
  const deadline = since + 60_000;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(url, init);
      const text = await res.text();
      if (res.ok && ok(text)) return performance.now() - since;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(
    `${name} did not answer; its log:\n${readFileSync(new URL(`${name}.log`, outDir), "utf8").slice(-3000)}`,
  );
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  try {
    process.kill(-child.pid!, "SIGKILL");
  } catch {
    // gone
  }
  await exited;
}

interface ServeSetup {
  dist: string;
  /** Holds tenants.json (the name dist/hisgate.capnp embeds, through -I). */
  etc: string;
  tenantsFile: string;
  hello: string;
}

async function serveSetup(hisUrl: string, withPassthrough = true): Promise<ServeSetup & { passthroughConfig: string }> {
  const dir = new URL("serve/", outDir).pathname;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(`${dir}etc`, { recursive: true });
  const tenantsFile = `${dir}etc/tenants.json`;
  writeFileSync(
    tenantsFile,
    JSON.stringify([
      { partner: "TEST_WX", hospitalCode: "0", key: SEED_KEY, hisUrl, hisTimeoutMs: 10_000, hisToken: BENCH_TOKEN },
    ]),
  );
  process.stderr.write(`npm run build (gateway)${withPassthrough ? " and a dry-run build of the passthrough" : ""}…\n`);
  const [, passthroughConfig] = await Promise.all([
    build(`${dir}dist`),
    (async () => {
      if (!withPassthrough) return undefined;
      await dryRunBuild(`${dir}passthrough`, ["-c", "bench/passthrough/wrangler.jsonc"]);
      return readWranglerConfig("bench/passthrough/wrangler.jsonc", "");
    })(),
  ]);
  const gateway = (JSON.parse(readFileSync(`${dir}dist/hisgate.json`, "utf8")) as Manifest).gateway.plan;
  const config = (name: string, p: WorkerPlan, modules: BuiltModule[], vars: Record<string, string>) => {
    const file = `${dir}${name}.capnp`;
    writeFileSync(
      file,
      renderServerConfig({
        main: { plan: p, modules },
        listen: "127.0.0.1:0",
        dataDir: `${dir}${name}-data`,
        tenants: { embed: "etc/tenants.json" },
        vars,
      }),
    );
    mkdirSync(`${dir}${name}-data`, { recursive: true });
    return file;
  };
  writeFileSync(`${dir}hello.mjs`, `export default { async fetch() { return new Response("hello"); } };\n`);
  return {
    dist: `${dir}dist`,
    etc: `${dir}etc`,
    tenantsFile,
    passthroughConfig: passthroughConfig
      ? config("passthrough", planWorker(passthroughConfig), modulesIn(`${dir}passthrough`, "passthrough"), {
          HIS_URL: hisUrl,
          LOG_LINES: process.env.HTTP_PASSTHROUGH_LOG_LINES ?? "0",
        })
      : "",
    // The same compatibility settings as the gateway, nothing else.
    hello: config(
      "hello",
      { ...gateway, name: "hello", durableObjects: [], bindings: [], notes: [] },
      [{ name: "hello.mjs", type: "esModule", embed: "hello.mjs" }],
      {},
    ),
  };
}

const serveArgs = (s: ServeSetup, port: number, data: string, vars: string[] = []) => [
  "--import",
  "tsx",
  "selfhost/serve.ts",
  ...["--tenants", s.tenantsFile, "--data", data, "--dist", s.dist, "--port", String(port)],
  ...(process.env.HTTP_GATEWAY_LOG_LEVEL ? ["--var", `LOG_LEVEL=${process.env.HTTP_GATEWAY_LOG_LEVEL}`] : []),
  ...vars.flatMap((v) => ["--var", v]),
];

async function serveMode(hisUrl: string): Promise<{ rows: Row[]; coldStart: ColdStart; trail: TrailCost }> {
  const s = await serveSetup(hisUrl);
  const gwPort = await freePort();
  const ptPort = await freePort();
  const gateway = spawnServer(
    "serve-gateway",
    process.execPath,
    serveArgs(s, gwPort, `${outDir.pathname}serve/gateway-data`),
  );
  const passthrough = spawnServer("serve-passthrough", workerdPath, [
    "serve",
    s.passthroughConfig,
    "--socket-addr",
    `http=127.0.0.1:${ptPort}`,
  ]);
  groups.gateway = gateway.pid!;
  groups.passthrough = passthrough.pid!;
  const gwUrl = `http://127.0.0.1:${gwPort}`;
  const ptUrl = `http://127.0.0.1:${ptPort}`;
  const started = performance.now();
  await firstAnswer("serve-gateway", gateway, started, `${gwUrl}/healthz`, {}, (t) => t === "ok");
  await firstAnswer("serve-passthrough", passthrough, started, `${ptUrl}/`, {}, (t) => t === "ok");
  const rows = await measure("serve", gwUrl, ptUrl);
  await stopChildren();
  delete groups.gateway;
  delete groups.passthrough;
  const trail = await trailCost(s);
  return { rows, trail, coldStart: await coldStarts(s) };
}

// ---- the message trail's cost: the same gateway with and without recording ----

/** The tenant's hisToken in the bench's tenants file: /metrics tells how many exchanges the trail recorded. */
const BENCH_TOKEN = "bench-his-token";

interface TrailRow {
  case: string;
  format: "xml" | "json";
  /** The gateway as deployed: every exchange recorded in the tenant's MessageTrail (batched, after the answer). */
  traced: Load;
  /** The same build with MESSAGE_TRAIL=off: the middleware returns before building or sending a record. */
  untraced: Load;
  /** untraced req/s / traced req/s − 1: the share of a request's time that recording adds (throughput). */
  costByThroughput: number;
  /** traced server CPU ms per request / untraced − 1: the same, unaffected by other load on the machine. */
  costByCpu: number;
  roundCosts: number[];
  p50Ratio: number;
  p99Ratio: number;
}

export interface TrailCost {
  rows: TrailRow[];
  /** Exchanges the traced server's trail counted (/metrics) against requests it answered: 1 means none was lost. */
  tracedRecorded: { recorded: number; answered: number };
  /** Exchanges the untraced server's trail counted: 0, or the comparison is not what it claims. */
  untracedRecorded: number;
}

/** Sum of hisgate_exchanges_total of the bench tenant, as the server's /metrics counts it. */
async function recordedExchanges(url: string): Promise<number> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${BENCH_TOKEN}` } });
  if (!res.ok) throw new Error(`${url}/metrics: HTTP ${res.status}`);
  let n = 0;
  for (const line of (await res.text()).split("\n"))
    if (line.startsWith("hisgate_exchanges_total{")) n += Number(line.slice(line.lastIndexOf(" ") + 1));
  return n;
}

/**
 * TestNet (the lightest exchange, so the trail's share is the largest) against the gateway under `npm run serve`,
 * twice from the same build and tenants file: recording on, and MESSAGE_TRAIL=off. Alternating rounds as in
 * measure(); then both trails are read back, to show the one recorded every exchange and the other none.
 */
async function trailCost(s: ServeSetup): Promise<TrailCost> {
  const onPort = await freePort();
  const offPort = await freePort();
  const on = spawnServer("trail-on", process.execPath, serveArgs(s, onPort, `${outDir.pathname}serve/trail-on-data`));
  const off = spawnServer(
    "trail-off",
    process.execPath,
    serveArgs(s, offPort, `${outDir.pathname}serve/trail-off-data`, ["MESSAGE_TRAIL=off"]),
  );
  groups.traced = on.pid!;
  groups.untraced = off.pid!;
  const onUrl = `http://127.0.0.1:${onPort}`;
  const offUrl = `http://127.0.0.1:${offPort}`;
  const started = performance.now();
  await firstAnswer("trail-on", on, started, `${onUrl}/healthz`, {}, (t) => t === "ok");
  await firstAnswer("trail-off", off, started, `${offUrl}/healthz`, {}, (t) => t === "ok");
  const rows: TrailRow[] = [];
  let answered = 0;
  for (const c of cases.filter((x) => x.service === "TestNet")) {
    const onBody = await post(`${onUrl}/wd/api`, c.envelope);
    const offBody = await post(`${offUrl}/wd/api`, c.envelope);
    checkGatewayReply(c, onBody);
    checkGatewayReply(c, offBody);
    answered += 1;
    process.stderr.write(`  trail: ${c.name} ${c.format}: warm-up…\n`);
    answered += (await load(`${onUrl}/wd/api`, c.envelope, onBody, WARMUP)).requests;
    await load(`${offUrl}/wd/api`, c.envelope, offBody, WARMUP);
    const onRounds: Load[] = [];
    const offRounds: Load[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      process.stderr.write(`  trail: ${c.name} ${c.format}: round ${round + 1}/${ROUNDS}…\n`);
      const slice = DURATION / ROUNDS;
      const traced = async () => onRounds.push(await load(`${onUrl}/wd/api`, c.envelope, onBody, slice));
      const untraced = async () => offRounds.push(await load(`${offUrl}/wd/api`, c.envelope, offBody, slice));
      if (round % 2 === 0) (await traced(), await untraced());
      else (await untraced(), await traced());
    }
    answered += onRounds.reduce((a, r) => a + r.requests, 0);
    const traced = combine(onRounds);
    const untraced = combine(offRounds);
    rows.push({
      case: c.name,
      format: c.format,
      traced,
      untraced,
      costByThroughput: untraced.reqPerSec / traced.reqPerSec - 1,
      costByCpu: serverCpu(traced, "traced") / serverCpu(untraced, "untraced") - 1,
      roundCosts: onRounds.map((r, i) => offRounds[i]!.reqPerSec / r.reqPerSec - 1),
      p50Ratio: traced.p50Ms / untraced.p50Ms,
      p99Ratio: traced.p99Ms / untraced.p99Ms,
    });
  }
  // The last batch is written 50 ms after its first exchange (worker/src/trail/record.ts): wait for it to land.
  let recorded = 0;
  for (let i = 0; i < 50 && (recorded = await recordedExchanges(onUrl)) < answered; i++)
    await new Promise((r) => setTimeout(r, 100));
  const untracedRecorded = await recordedExchanges(offUrl);
  await stopChildren();
  delete groups.traced;
  delete groups.untraced;
  return { rows, tracedRecorded: { recorded, answered }, untracedRecorded };
}

function printTrailCost(title: string, t: TrailCost): void {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  console.log(`\n${title}\n`);
  console.log(
    table(
      [
        "case",
        "fmt",
        "traced req/s",
        "p50",
        "p99",
        "untraced req/s",
        "p50",
        "p99",
        "cost by req/s",
        "by CPU",
        "rounds",
        "target ≤ 10%",
      ],
      t.rows.map((r) => [
        r.case,
        r.format,
        fmt(r.traced.reqPerSec),
        `${r.traced.p50Ms} ms`,
        `${r.traced.p99Ms} ms`,
        fmt(r.untraced.reqPerSec),
        `${r.untraced.p50Ms} ms`,
        `${r.untraced.p99Ms} ms`,
        pct(r.costByThroughput),
        pct(r.costByCpu),
        r.roundCosts.map(pct).join(" "),
        r.costByThroughput <= 0.1 ? "met" : "MISSED",
      ]),
    ),
  );
  console.log(
    `\nrecorded: traced trail ${t.tracedRecorded.recorded} of ${t.tracedRecorded.answered} exchanges answered; untraced trail ${t.untracedRecorded}`,
  );
  const busy = t.rows.map((r) => r.traced.machineBusy);
  const ours = t.rows.map((r) => r.traced.oursOfBusy);
  console.log(
    `machine busy ${pct(Math.min(...busy))}–${pct(Math.max(...busy))}, of which this bench ${pct(Math.min(...ours))}–${pct(Math.max(...ours))}`,
  );
}

function trailFaults(t: TrailCost): string[] {
  return [
    ...t.rows.flatMap((r) =>
      (["traced", "untraced"] as const)
        .filter((k) => r[k].errors + r[k].non2xx + r[k].mismatches > 0)
        .map(
          (k) =>
            `trail ${r.case} ${r.format} ${k}: errors ${r[k].errors}, non2xx ${r[k].non2xx}, mismatches ${r[k].mismatches}`,
        ),
    ),
    ...(t.untracedRecorded > 0 ? [`trail: MESSAGE_TRAIL=off still recorded ${t.untracedRecorded} exchanges`] : []),
    ...(t.tracedRecorded.recorded < t.tracedRecorded.answered
      ? [`trail: recorded ${t.tracedRecorded.recorded} of ${t.tracedRecorded.answered} exchanges answered`]
      : []),
  ];
}

interface ColdStart {
  runs: number;
  /** Median ms from spawn to the first answered request. */
  helloMs: number;
  /** `workerd serve dist/hisgate.capnp`: first TestNet answered SUCCESS. */
  gatewayWorkerdMs: number;
  /** `npm run serve` (node launcher: checks, config, then workerd): first TestNet answered SUCCESS. */
  serveMs: number;
  gatewayWorkerdRatio: number;
  serveRatio: number;
}

/** Spawn to first answered request: hello world, the gateway's capnp under workerd, and serve, interleaved. */
async function coldStarts(s: ServeSetup): Promise<ColdStart> {
  const testNet = cases.find((c) => c.name === "TestNet" && c.format === "json")!;
  const testNetOk = (text: string) => refReadReply(text).resultCode === "SUCCESS";
  const postTestNet = { method: "POST", body: testNet.envelope };
  const hello: number[] = [];
  const direct: number[] = [];
  const served: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    process.stderr.write(`  cold start ${i + 1}/${COLD_RUNS}…\n`);
    const data = `${outDir.pathname}serve/cold-${i}`;
    rmSync(data, { recursive: true, force: true });
    mkdirSync(data, { recursive: true });
    for (const [name, spawnIt, path, init, ok, into] of [
      [
        "cold-hello",
        (port: number) =>
          spawnServer("cold-hello", workerdPath, ["serve", s.hello, "--socket-addr", `http=127.0.0.1:${port}`]),
        "/",
        {},
        (t: string) => t === "hello",
        hello,
      ],
      [
        "cold-gateway-workerd",
        (port: number) =>
          spawnServer("cold-gateway-workerd", workerdPath, [
            "serve",
            `${s.dist}/hisgate.capnp`,
            ...["-I", s.etc, "--directory-path", `state=${data}`, "--socket-addr", `http=127.0.0.1:${port}`],
          ]),
        "/wd/api",
        postTestNet,
        testNetOk,
        direct,
      ],
      [
        "cold-serve",
        (port: number) => spawnServer("cold-serve", process.execPath, serveArgs(s, port, `${data}-serve`)),
        "/wd/api",
        postTestNet,
        testNetOk,
        served,
      ],
    ] as const) {
      const port = await freePort();
      const since = performance.now();
      const child = spawnIt(port);
      into.push(await firstAnswer(name, child, since, `http://127.0.0.1:${port}${path}`, init, ok));
      await stopServer(child);
    }
  }
  const helloMs = median(hello);
  return {
    runs: COLD_RUNS,
    helloMs,
    gatewayWorkerdMs: median(direct),
    serveMs: median(served),
    gatewayWorkerdRatio: median(direct) / helloMs,
    serveRatio: median(served) / helloMs,
  };
}

async function main(): Promise<void> {
  const started = performance.now();
  stub = new Worker(new URL("./his-stub.mjs", import.meta.url), { workerData: { answers } });
  const stubPort = await new Promise<number>((resolve, reject) => {
    stub!.once("message", (m: { port: number }) => resolve(m.port));
    stub!.once("error", reject);
  });
  const hisUrl = `http://127.0.0.1:${stubPort}`;
  const tenants = [{ partner: "TEST_WX", hospitalCode: "0", key: SEED_KEY, hisUrl, hisTimeoutMs: 10_000 }];
  const shape = `loopback, ${CONNECTIONS} connections, ${DURATION} s per side and case in ${ROUNDS} alternating rounds (${machine().cpu}, ${machine().nproc} CPUs)`;

  let rows: Row[] = [];
  if (MODE === "both" || MODE === "wrangler") {
    process.stderr.write("building the gateway, starting wrangler dev: gateway and passthrough…\n");
    const gatewayConfig = await frozenGateway();
    const [gateway, passthrough] = await Promise.all([
      wranglerDev(
        "gateway",
        gatewayConfig,
        {
          TENANTS: JSON.stringify(tenants),
          // Diagnostic: HTTP_GATEWAY_LOG_LEVEL=warn logs only refused or failed requests.
          ...(process.env.HTTP_GATEWAY_LOG_LEVEL ? { LOG_LEVEL: process.env.HTTP_GATEWAY_LOG_LEVEL } : {}),
        },
        ["--no-bundle"],
      ),
      wranglerDev("passthrough", "bench/passthrough/wrangler.jsonc", {
        HIS_URL: hisUrl,
        // Diagnostics only: HTTP_PASSTHROUGH_LOG_LINES=2 makes the passthrough log like the gateway does.
        LOG_LINES: process.env.HTTP_PASSTHROUGH_LOG_LINES ?? "0",
      }),
    ]);
    rows = await measure("wrangler dev", gateway, passthrough);
    await stopChildren();
    printRows(`hisgate over HTTP, wrangler dev (workerd behind wrangler's proxy), ${shape}`, rows);
  }

  let serve: { rows: Row[]; coldStart: ColdStart } | undefined;
  let trail: TrailCost | undefined;
  if (MODE === "trail") trail = await trailCost(await serveSetup(hisUrl, false));
  if (MODE === "both" || MODE === "serve") {
    const measured = await serveMode(hisUrl);
    trail = measured.trail;
    serve = { rows: measured.rows, coldStart: measured.coldStart };
    printRows(
      `hisgate over HTTP, npm run serve vs a passthrough, both under plain workerd (no wrangler), ${shape}`,
      serve.rows,
      SERVE_TARGET,
    );
    const c = serve.coldStart;
    console.log(`\ncold start, spawn to first answered request (median of ${c.runs}, interleaved)\n`);
    console.log(
      table(
        ["server", "first request", "ms", "× hello world"],
        [
          ["hello-world Worker, workerd", "GET /", fmt(c.helloMs), "1.00"],
          [
            "workerd serve dist/hisgate.capnp",
            "TestNet → stub HIS",
            fmt(c.gatewayWorkerdMs),
            c.gatewayWorkerdRatio.toFixed(2),
          ],
          ["npm run serve (node launcher + workerd)", "TestNet → stub HIS", fmt(c.serveMs), c.serveRatio.toFixed(2)],
        ],
      ),
    );
  }

  if (trail)
    printTrailCost(
      `the message trail's cost: npm run serve, the same build with MESSAGE_TRAIL=off beside it, TestNet, ${shape}`,
      trail,
    );

  const faults = [
    ...faultsOf("wrangler dev", rows),
    ...(serve ? faultsOf("serve", serve.rows) : []),
    ...(trail ? trailFaults(trail) : []),
  ];
  if (faults.length) console.log(`\nfaults:\n${faults.join("\n")}`);

  const out = {
    generatedAt: new Date().toISOString(),
    machine: machine(),
    options: { durationSeconds: DURATION, warmupSeconds: WARMUP, connections: CONNECTIONS, rounds: ROUNDS, mode: MODE },
    notes: {
      setup:
        "wrangler dev: both Workers under `wrangler dev` (local workerd, behind wrangler's dev proxy); serve: the gateway under `npm run serve` (selfhost/serve.ts: node launcher, workerd, stdout to a file) and the passthrough under plain workerd with a config from the same renderer; all on 127.0.0.1; stub HIS node:http in a worker thread; autocannon in the main thread; everything on the same machine",
      throughputRatio:
        "gateway req/s / passthrough req/s (targets: wrangler dev ≥ 0.70; serve ≥ 0.8 TestNet, ≥ 0.5 QueryRegister-100)",
      cpuRatio:
        "passthrough CPU ms per request / gateway CPU ms per request, workerd + node: what the throughput ratio tends to on a CPU-bound machine, unaffected by other load on it",
      check:
        "every response body is compared with the first (expectBody); the first gateway reply is checked for SUCCESS, signature and payload",
      coldStart:
        "spawn to the first answered request, median of interleaved runs: a hello-world Worker (GET /) and the gateway (TestNet forwarded to the stub HIS) under the same workerd, the gateway both as `workerd serve dist/hisgate.capnp` and through `npm run serve`'s launcher",
    },
    rows,
    ...(serve ? { serve } : {}),
    faults,
    elapsedSeconds: Math.round((performance.now() - started) / 100) / 10,
  };
  // Filtered, diagnostic or relocated (HTTP_OUT) runs do not replace the committed results; a serve-only run has its
  // own file.
  const partial =
    only ||
    process.env.HTTP_PASSTHROUGH_LOG_LINES ||
    process.env.HTTP_WRANGLER_ARGS ||
    process.env.HTTP_GATEWAY_LOG_LEVEL ||
    process.env.HTTP_OUT;
  if (MODE !== "trail") {
    const resultsFile = partial
      ? new URL("http-results-partial.json", outDir)
      : new URL(MODE === "serve" ? "./http-serve-results.json" : "./http-results.json", import.meta.url);
    await writeResults(resultsFile, out);
    console.log(`\nwrote ${resultsFile.pathname} in ${out.elapsedSeconds} s`);
  }
  if (trail) {
    const trailFile = partial
      ? new URL("trail-results-partial.json", outDir)
      : new URL("./trail-results.json", import.meta.url);
    await writeResults(trailFile, {
      generatedAt: out.generatedAt,
      machine: out.machine,
      options: out.options,
      notes: {
        setup:
          "the gateway under `npm run serve` twice from the same build, tenants and stub HIS: traced (as deployed) and untraced (--var MESSAGE_TRAIL=off: the trail middleware returns before building or sending a record); TestNet, the lightest exchange, in alternating rounds; all on 127.0.0.1",
        costByThroughput:
          "untraced req/s / traced req/s − 1: the share of a TestNet request's time recording adds (target ≤ 0.10)",
        costByCpu: "traced server CPU ms per request / untraced − 1 (workerd + serve's node)",
        recorded:
          "afterwards, hisgate_exchanges_total from each server's /metrics: the traced trail holds every exchange it answered, the untraced one none",
      },
      ...trail,
      faults: trailFaults(trail),
      elapsedSeconds: Math.round((performance.now() - started) / 100) / 10,
    });
    console.log(`wrote ${trailFile.pathname}`);
  }
}

try {
  await main();
} finally {
  await stopChildren();
  stub?.postMessage("close");
  await stub?.terminate();
}
