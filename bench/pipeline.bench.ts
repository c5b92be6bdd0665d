// In-process (Node) benchmark of the gateway's envelope pipeline, stage by stage, against
//   (a) the floor: the same bytes through node:crypto MD5 + AES and JSON.parse / JSON.stringify only, and
//   (b) a baseline of general-purpose parts: ajv on the OpenAPI schema + fast-xml-parser with default options.
// All figures are ratios within one run; nothing here asserts a wall-clock threshold.
//
//   npm run bench                      (about a minute)
//   BENCH_TIME_MS=1000 npm run bench   (longer sampling per task)
//   BENCH_FILTER=QueryRegister npm run bench
import { mkdirSync } from "node:fs";
import { Bench } from "tinybench";
import { decrypt, encrypt } from "../worker/src/crypto/aes.js";
import { parseJson } from "../worker/src/payload/json.js";
import {
  decodePayload,
  encodePayload,
  readEnvelopeBody,
  verifySignature,
  writeReply,
} from "../worker/src/protocol/index.js";
import { ajvValidator } from "./baseline.js";
import { fmt, machine, table, writeResults } from "./machine.js";
import type { Typed } from "./payloads.js";
import { benchTenants, MANY, type TenantRow } from "./tenants.js";
import {
  KEY,
  PAYLOADS,
  baselineInbound,
  baselineOutbound,
  check,
  floorInbound,
  floorOutbound,
  gatewayInbound,
  gatewayOutbound,
  label,
  makeCase,
  type Case,
  type Direction,
  type Format,
} from "./pipeline.js";

const TIME = Number(process.env.BENCH_TIME_MS ?? 250);
const WARMUP = Number(process.env.BENCH_WARMUP_MS ?? 100);
const FILTER = process.env.BENCH_FILTER;

// ---- run ----

interface Row {
  case: string;
  service: string;
  format: Format;
  direction: Direction;
  /** The gateway's own direction for this payload (requests come in, responses go out). */
  natural: boolean;
  /** UTF-8 bytes of the business payload in this format. */
  bytes: number;
  /** UTF-8 bytes of the envelope on the wire (request envelope inbound, reply envelope outbound). */
  envelopeBytes: number;
  opsPerSec: number;
  meanMs: number;
  p99Ms: number;
  floorOpsPerSec: number;
  baselineOpsPerSec: number;
  /** pipeline time / floor time (1 = as fast as native crypto + JSON). */
  ratioToFloor: number;
  /** baseline time / pipeline time (the speedup over general-purpose parts). */
  ratioToBaseline: number;
  /** Mean ms of each stage of the pipeline, measured alone. */
  stagesMs: Record<string, number>;
  rme: number;
}

function stats(bench: Bench, name: string): { mean: number; p99: number; rme: number } {
  const t = bench.getTask(name)!;
  const r = t.result;
  if (r.state !== "completed") throw new Error(`${name}: ${r.state} ${"error" in r ? String(r.error) : ""}`);
  return { mean: r.latency.mean, p99: r.latency.p99, rme: r.latency.rme };
}

async function runCase(c: Case): Promise<Row> {
  const schema = `${c.payload.service}${c.payload.kind === "request" ? "Request" : "Response"}`;
  const ajvIn = ajvValidator(schema, c.format);
  const ajvOut = ajvValidator(schema, "json");
  check(c, ajvIn, ajvOut);

  const bench = new Bench({ time: TIME, warmupTime: WARMUP, warmup: true, iterations: 20, warmupIterations: 5 });
  let sink: unknown;
  const stageNames: string[] = [];
  const stage = (name: string, fn: () => unknown) => {
    stageNames.push(name);
    bench.add(`stage:${name}`, () => {
      sink = fn();
    });
  };

  if (c.direction === "inbound") {
    const envelope = readEnvelopeBody(c.envelope);
    const { params } = envelope;
    const spellings = [params.service!, c.def.wireName, ...c.def.aliases];
    const bytes = decrypt(params.requestEncrypted!, KEY);
    const tree = decodePayload(bytes, c.def, c.payload.kind);
    const value = (c.validate(tree) as { ok: true; value: unknown }).value;
    stage("envelope", () => readEnvelopeBody(c.envelope));
    stage("verify", () => verifySignature(params, KEY, spellings));
    stage("decrypt", () => decrypt(params.requestEncrypted!, KEY));
    stage("parse", () => decodePayload(bytes, c.def, c.payload.kind));
    stage("validate", () => c.validate(tree));
    stage("toJSON", () => JSON.stringify(value));
    bench.add("pipeline", () => {
      sink = gatewayInbound(c);
    });
    bench.add("floor", () => {
      sink = floorInbound(c);
    });
    bench.add("baseline", () => {
      sink = baselineInbound(c, ajvIn);
    });
  } else {
    const value = (c.validate(c.payload.typed) as { ok: true; value: Typed }).value;
    const payload = encodePayload(c.def, c.payload.kind, value, c.format);
    const reply = { resultCode: "SUCCESS", resultMessage: "成功", responseEncrypted: encrypt(payload, KEY) };
    stage("validate", () => c.validate(c.payload.typed));
    stage("serialize", () => encodePayload(c.def, c.payload.kind, value, c.format));
    stage("encrypt", () => encrypt(payload, KEY));
    stage("sign+reply", () => writeReply(reply, c.format, KEY));
    bench.add("pipeline", () => {
      sink = gatewayOutbound(c);
    });
    bench.add("floor", () => {
      sink = floorOutbound(c);
    });
    bench.add("baseline", () => {
      sink = baselineOutbound(c, ajvOut);
    });
  }
  await bench.run();
  void sink;

  const pipe = stats(bench, "pipeline");
  const floor = stats(bench, "floor");
  const base = stats(bench, "baseline");
  const envelopeBytes = Buffer.byteLength(c.direction === "inbound" ? c.envelope : gatewayOutbound(c), "utf8");
  return {
    case: c.payload.name,
    service: c.payload.service,
    format: c.format,
    direction: c.direction,
    natural: c.direction === c.payload.natural,
    bytes: Buffer.byteLength(c.payloadText, "utf8"),
    envelopeBytes,
    opsPerSec: 1000 / pipe.mean,
    meanMs: pipe.mean,
    p99Ms: pipe.p99,
    floorOpsPerSec: 1000 / floor.mean,
    baselineOpsPerSec: 1000 / base.mean,
    ratioToFloor: pipe.mean / floor.mean,
    ratioToBaseline: base.mean / pipe.mean,
    stagesMs: Object.fromEntries(stageNames.map((s) => [s, stats(bench, `stage:${s}`).mean])),
    rme: pipe.rme,
  };
}

const started = performance.now();
const cases: Case[] = [];
for (const payload of PAYLOADS)
  for (const format of ["xml", "json"] as const)
    for (const direction of ["inbound", "outbound"] as const) {
      const c = makeCase(payload, format, direction);
      if (!FILTER || label(c).includes(FILTER)) cases.push(c);
    }

const rows: Row[] = [];
for (const c of cases) {
  process.stderr.write(`  ${label(c)}…\n`);
  rows.push(await runCase(c));
}

const byNatural = [...rows].sort((a, b) => Number(b.natural) - Number(a.natural));
console.log(
  `\nhisgate pipeline, in-process (${machine().cpu}, ${machine().nproc} CPUs, Node ${process.version}); * = the gateway's own direction\n`,
);
console.log(
  table(
    ["case", "fmt", "dir", "bytes", "ops/s", "mean ms", "×floor", "×faster than baseline", "(baseline/floor)"],
    byNatural.map((r) => [
      `${r.natural ? "*" : " "} ${r.case}`,
      r.format,
      r.direction,
      r.bytes,
      fmt(r.opsPerSec),
      r.meanMs.toFixed(4),
      r.ratioToFloor.toFixed(2),
      r.ratioToBaseline.toFixed(2),
      (r.floorOpsPerSec / r.baselineOpsPerSec).toFixed(2),
    ]),
  ),
);
console.log(
  "\n(baseline/floor) is the most any pipeline could be faster than the baseline while doing at least the floor's work.",
);
console.log("\nstage breakdown (mean µs, each stage measured alone)\n");
console.log(
  table(
    ["case", "fmt", "dir", "stages (µs)", "pipeline µs", "floor µs", "baseline µs"],
    byNatural.map((r) => [
      r.case,
      r.format,
      r.direction,
      Object.entries(r.stagesMs)
        .map(([k, v]) => `${k} ${(v * 1000).toFixed(1)}`)
        .join(" · "),
      (r.meanMs * 1000).toFixed(1),
      ((1000 / r.floorOpsPerSec) * 1000).toFixed(1),
      ((1000 / r.baselineOpsPerSec) * 1000).toFixed(1),
    ]),
  ),
);

const tenantRows: TenantRow[] = !FILTER || "tenants".includes(FILTER) ? await benchTenants(TIME * 8, WARMUP) : [];
if (tenantRows.length) {
  console.log(`\ntenant registry: the same request with ${MANY} tenants vs 1 (in-memory KV stand-in)\n`);
  console.log(
    table(
      ["task", "1 tenant µs", `${MANY} tenants µs`, "ratio"],
      tenantRows.map((r) => [r.task, r.oneMeanUs.toFixed(2), r.manyMeanUs.toFixed(2), r.ratio.toFixed(3)]),
    ),
  );
}

// Targets are reported, never asserted.
const targets = [
  ...rows
    .filter((r) => r.format === "json" && r.bytes >= 1024)
    .map((r) => ({
      target: "pipeline ≤ 1.5× floor (JSON ≥ 1 KB)",
      case: `${r.case} json ${r.direction}`,
      value: r.ratioToFloor,
      met: r.ratioToFloor <= 1.5,
    })),
  ...rows.map((r) => ({
    target: "≥ 3× faster than baseline",
    case: `${r.case} ${r.format} ${r.direction}`,
    value: r.ratioToBaseline,
    met: r.ratioToBaseline >= 3,
  })),
  ...rows
    .filter((r) => r.service === "QueryRegister" && r.format === "xml")
    .map((r) => ({
      target: "QueryRegister-100 XML < 5 ms in-process",
      case: `${r.case} xml ${r.direction}`,
      value: r.meanMs,
      met: r.meanMs < 5,
    })),
  ...tenantRows
    .filter((r) => r.task.startsWith("request"))
    .map((r) => ({
      target: `per-request overhead, ${MANY} tenants vs 1 ≤ 1.1`,
      case: "TestNet json, tenant from the registry",
      value: r.ratio,
      met: r.ratio <= 1.1,
    })),
];
console.log("\ntargets (reported, not asserted)\n");
console.log(
  table(
    ["target", "case", "value", "met"],
    targets.map((t) => [t.target, t.case, t.value.toFixed(2), t.met ? "yes" : "NO"]),
  ),
);

// Hostile JSON bodies (issue 10 item 1): every one is refused or read in time linear in its size. Each is timed at
// n and 4n (4n = MAX_BODY_BYTES' default) against the floor, JSON.parse of a valid flat body of the same size.
const HOSTILE: Record<string, (n: number) => string> = {
  "escaped quotes never closed": (n) => `{"a":"${'\\"'.repeat(n / 2)}`,
  "trailing commas everywhere": (n) => `[${'{"a":[1,],"b":{"c":2,},},'.repeat(n / 24)}]`,
  "commas and spaces, no close": (n) => `[1${", ".repeat(n / 2)}x`,
  "one long string, error at the end": (n) => `{"a":"${"x".repeat(n)}"x`,
};
const hostile: { body: string; bytes: number; meanMs: number; ratioToFloor: number; ratio4n: number }[] = [];
if (!FILTER || "hostile".includes(FILTER)) {
  const time = (fn: () => void): number => {
    let best = Infinity;
    for (let round = 0; round < 5; round++) {
      const start = performance.now();
      fn();
      best = Math.min(best, performance.now() - start);
    }
    return best;
  };
  const refuse = (text: string) => () => {
    try {
      parseJson(text);
    } catch {
      // refused
    }
  };
  const n = 256 * 1024;
  for (const [body, make] of Object.entries(HOSTILE)) {
    const small = make(n);
    const large = make(4 * n);
    const flat = `[${"1,".repeat(large.length / 2 - 1)}1]`;
    refuse(small)();
    const tSmall = time(refuse(small));
    const tLarge = time(refuse(large));
    const tFloor = time(() => JSON.parse(flat));
    hostile.push({
      body,
      bytes: large.length,
      meanMs: tLarge,
      ratioToFloor: tLarge / tFloor,
      ratio4n: tLarge / tSmall,
    });
  }
  console.log("\nhostile JSON bodies (best of 5; linear = ~4 for 4n/n, quadratic = ~16)\n");
  console.log(
    table(
      ["body", "bytes", "ms", "×floor (JSON.parse, valid, same size)", "time 4n / time n"],
      hostile.map((h) => [h.body, h.bytes, h.meanMs.toFixed(2), h.ratioToFloor.toFixed(2), h.ratio4n.toFixed(2)]),
    ),
  );
}

const out = {
  generatedAt: new Date().toISOString(),
  machine: machine(),
  options: { timeMs: TIME, warmupMs: WARMUP, filter: FILTER ?? null },
  notes: {
    floor:
      "node:crypto MD5 + AES-128-ECB over the same bytes, JSON.parse of the envelope, JSON.parse + JSON.stringify of the payload (for XML, of the same payload's JSON form: there is no native XML parser)",
    baseline:
      "same crypto; fast-xml-parser XMLParser/XMLBuilder with default options, JSON.parse/stringify, ajv (coerceTypes, strict off, formats off) compiled from generated/openapi.json components, list nodes widened to item-or-array for XML",
    ratioToFloor: "pipeline mean time / floor mean time",
    ratioToBaseline: "baseline mean time / pipeline mean time (speedup)",
  },
  rows,
  tenantRows,
  targets,
  hostile,
  elapsedSeconds: Math.round((performance.now() - started) / 100) / 10,
};
// A filtered run does not replace the committed results.
const resultsFile = FILTER
  ? new URL("./out/results-filtered.json", import.meta.url)
  : new URL("./results.json", import.meta.url);
mkdirSync(new URL("./out/", import.meta.url), { recursive: true });
await writeResults(resultsFile, out);
console.log(`\nwrote ${resultsFile.pathname} in ${out.elapsedSeconds} s`);
