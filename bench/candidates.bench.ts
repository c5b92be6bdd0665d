// What the candidate optimisations of bench/candidates.ts would give: the gateway pipeline as it is and with the
// candidates swapped in, next to the floor and the baseline, in the same run. Reported, never asserted.
//
//   npx tsx bench/candidates.bench.ts          (about 30 s; writes bench/candidates-results.json)
import { Bench } from "tinybench";
import { findService } from "../generated/registry.js";
import { decrypt, encrypt } from "../worker/src/crypto/aes.js";
import { encodePayload, verifySignature } from "../worker/src/protocol/index.js";
import { writeXmlEnvelope } from "../worker/src/payload/xml.js";
import { ajvValidator } from "./baseline.js";
import { decodePayloadCandidate, readEnvelopeCandidate, writeReplyCandidate } from "./candidates.js";
import { machine, table, writeResults } from "./machine.js";
import type { Typed } from "./payloads.js";
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
} from "./pipeline.js";

const TIME = Number(process.env.BENCH_TIME_MS ?? 250);
const WARMUP = Number(process.env.BENCH_WARMUP_MS ?? 100);

function candidateInbound(c: Case): string {
  const params = readEnvelopeCandidate(c.envelope);
  const def = findService("platformToHospital", params.service!) ?? c.def;
  if (!verifySignature(params, KEY, [params.service!, def.wireName, ...def.aliases])) throw new Error("bad sign");
  const tree = decodePayloadCandidate(decrypt(params.requestEncrypted!, KEY), def, c.payload.kind);
  const result = c.validate(tree);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return JSON.stringify(result.value);
}

function candidateOutbound(c: Case): string {
  const result = c.validate(c.payload.typed);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const payload = encodePayload(c.def, c.payload.kind, result.value as Typed, c.format);
  return writeReplyCandidate(
    { resultCode: "SUCCESS", resultMessage: "成功", responseEncrypted: encrypt(payload, KEY) },
    KEY,
    writeXmlEnvelope,
    c.format,
  );
}

const rows = [];
for (const payload of PAYLOADS)
  for (const format of ["xml", "json"] as const)
    for (const direction of ["inbound", "outbound"] as const) {
      const c = makeCase(payload, format, direction);
      const schema = `${payload.service}${payload.kind === "request" ? "Request" : "Response"}`;
      const ajvIn = ajvValidator(schema, format);
      const ajvOut = ajvValidator(schema, "json");
      check(c, ajvIn, ajvOut);
      const now = direction === "inbound" ? gatewayInbound : gatewayOutbound;
      const next = direction === "inbound" ? candidateInbound : candidateOutbound;
      if (now(c) !== next(c)) throw new Error(`${label(c)}: the candidate's output differs`);
      process.stderr.write(`  ${label(c)}…\n`);
      const bench = new Bench({ time: TIME, warmupTime: WARMUP, warmup: true, iterations: 20, warmupIterations: 5 });
      let sink: unknown;
      bench
        .add("now", () => {
          sink = now(c);
        })
        .add("candidate", () => {
          sink = next(c);
        })
        .add("floor", () => {
          sink = direction === "inbound" ? floorInbound(c) : floorOutbound(c);
        })
        .add("baseline", () => {
          sink = direction === "inbound" ? baselineInbound(c, ajvIn) : baselineOutbound(c, ajvOut);
        });
      await bench.run();
      void sink;
      const mean = (name: string) => {
        const r = bench.getTask(name)!.result;
        if (r.state !== "completed") throw new Error(`${name}: ${r.state}`);
        return r.latency.mean;
      };
      const [tNow, tNext, tFloor, tBase] = ["now", "candidate", "floor", "baseline"].map(mean) as [
        number,
        number,
        number,
        number,
      ];
      rows.push({
        case: payload.name,
        format,
        direction,
        natural: direction === payload.natural,
        bytes: Buffer.byteLength(c.payloadText, "utf8"),
        nowMs: tNow,
        candidateMs: tNext,
        gain: tNow / tNext,
        ratioToFloor: { now: tNow / tFloor, candidate: tNext / tFloor },
        ratioToBaseline: { now: tBase / tNow, candidate: tBase / tNext },
      });
    }

console.log(`\ncandidate optimisations (${machine().cpu}, ${machine().nproc} CPUs, Node ${process.version})\n`);
console.log(
  table(
    [
      "case",
      "fmt",
      "dir",
      "bytes",
      "now ms",
      "cand. ms",
      "gain",
      "×floor now→cand.",
      "×faster than baseline now→cand.",
    ],
    rows.map((r) => [
      `${r.natural ? "*" : " "} ${r.case}`,
      r.format,
      r.direction,
      r.bytes,
      r.nowMs.toFixed(4),
      r.candidateMs.toFixed(4),
      `${r.gain.toFixed(2)}×`,
      `${r.ratioToFloor.now.toFixed(2)} → ${r.ratioToFloor.candidate.toFixed(2)}`,
      `${r.ratioToBaseline.now.toFixed(2)} → ${r.ratioToBaseline.candidate.toFixed(2)}`,
    ]),
  ),
);
await writeResults(new URL("./candidates-results.json", import.meta.url), {
  generatedAt: new Date().toISOString(),
  machine: machine(),
  rows,
});
console.log("\nwrote bench/candidates-results.json");
