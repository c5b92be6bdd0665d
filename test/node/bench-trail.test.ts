// `npm run bench:trail` (HTTP_MODE=trail of bench/http.bench.ts) measures what the README's figure claims: the same
// gateway build under `npm run serve` with the trail on and with MESSAGE_TRAIL=off. Run here with tiny durations
// in a temporary directory: both sides answered signed SUCCESS throughout, the traced server's trail holds every
// exchange it answered and the untraced one's none, and the cost is derived from the two sides' figures. No speed
// is asserted: the machine is shared.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { root } from "../support/serve.js";

const out = mkdtempSync(join(tmpdir(), "hisgate-bench-trail-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

interface Side {
  reqPerSec: number;
  requests: number;
  errors: number;
  non2xx: number;
  mismatches: number;
}

it("runs the trail-cost bench: traced and untraced servers, every exchange recorded on one, none on the other", async () => {
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "bench/http.bench.ts"], {
      cwd: root,
      env: {
        ...process.env,
        HTTP_MODE: "trail",
        HTTP_OUT: out,
        HTTP_DURATION: "1",
        HTTP_WARMUP: "0.5",
        HTTP_ROUNDS: "2",
        HTTP_CONNECTIONS: "2",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.resume();
    child.stderr.resume();
    child.once("exit", resolve);
  });
  expect(code).toBe(0);
  const results = JSON.parse(readFileSync(join(out, "trail-results-partial.json"), "utf8")) as {
    rows: { case: string; format: string; traced: Side; untraced: Side; costByThroughput: number }[];
    tracedRecorded: { recorded: number; answered: number };
    untracedRecorded: number;
    faults: string[];
  };
  expect(results.rows.map((r) => `${r.case} ${r.format}`)).toEqual(["TestNet xml", "TestNet json"]);
  for (const r of results.rows) {
    for (const side of [r.traced, r.untraced]) {
      expect(side.requests).toBeGreaterThan(0);
      expect(side.errors + side.non2xx + side.mismatches).toBe(0);
    }
    expect(r.costByThroughput).toBeCloseTo(r.untraced.reqPerSec / r.traced.reqPerSec - 1, 6);
  }
  expect(results.untracedRecorded).toBe(0);
  expect(results.tracedRecorded.recorded).toBeGreaterThanOrEqual(results.tracedRecorded.answered);
  expect(results.faults).toEqual([]);
}, 300_000);
