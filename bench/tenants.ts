// Per-request overhead of the tenant registry: the same request against a registry of 2,000 tenants and of 1,
// in one run. A request = the tenant lookup by (partner, hospitalCode) through tenantSource (as authenticate()
// does it) + the TestNet envelope in and the reply out. KV is an in-memory stand-in (a Map behind the KV
// interface): what is measured is hisgate's own work per request (name, cache, unseal, parse), not KV's network.
import { Bench } from "tinybench";
import { tenantSource } from "../worker/src/config/source.js";
import type { Bindings } from "../worker/src/env.js";
import { registryEntries } from "../worker/src/registry/records.js";
import { forgetCachedTenants } from "../worker/src/registry/registry.js";
import { KEY, gatewayInbound, gatewayOutbound, makeCase } from "./pipeline.js";
import { PAYLOADS } from "./payloads.js";

export interface TenantRow {
  task: string;
  oneMeanUs: number;
  manyMeanUs: number;
  /** mean with 2,000 tenants / mean with 1 */
  ratio: number;
}

export const MANY = 2000;
const ROUNDS = 9;

class MapKv {
  constructor(private readonly map: Map<string, string>) {}
  async get(name: string): Promise<string | null> {
    return this.map.get(name) ?? null;
  }
}

async function registry(partner: string, count: number): Promise<Bindings> {
  const tenants = Array.from({ length: count }, (_, i) => ({
    partner,
    hospitalCode: `H${i}`,
    key: KEY,
    hisUrl: "https://his.example/api",
    hisToken: `${partner}-token-${i}-0123456789abcdef`,
  }));
  const master = Buffer.alloc(32, 9).toString("base64");
  const entries = await registryEntries(JSON.stringify(tenants), master);
  const kv = new MapKv(new Map(entries.map((e) => [e.key, e.value])));
  return { TENANT_REGISTRY: kv as unknown as KVNamespace, TENANT_MASTER_KEY: master } as unknown as Bindings;
}

async function warm(env: Bindings, partner: string, count: number): Promise<void> {
  const source = tenantSource(env);
  for (let i = 0; i < count; i++) {
    await source.find(partner, `H${i}`);
    await source.byToken(`${partner}-token-${i}-0123456789abcdef`);
  }
}

export async function benchTenants(time: number, warmupTime: number): Promise<TenantRow[]> {
  const one = await registry("ONE", 1);
  const many = await registry("MANY", MANY);
  const inbound = makeCase(
    PAYLOADS.find((p) => p.name === "TestNet request")!,
    "json",
    "inbound",
  );
  const outbound = makeCase(
    PAYLOADS.find((p) => p.name === "TestNet response")!,
    "json",
    "outbound",
  );
  // Visits every tenant in turn, so the 2,000-tenant cache is really 2,000 entries deep.
  const cycle = (count: number) => {
    let i = 0;
    return () => (i = (i + 1) % count);
  };
  const tasks: Record<string, (env: Bindings, partner: string, next: () => number) => Promise<unknown>> = {
    "request (lookup + TestNet in + reply out)": async (env, partner, next) => {
      const tenant = await tenantSource(env).find(partner, `H${next()}`);
      if (!tenant) throw new Error("no tenant");
      return [gatewayInbound(inbound), gatewayOutbound(outbound)];
    },
    "lookup by partner + hospitalCode (cached)": (env, partner, next) => tenantSource(env).find(partner, `H${next()}`),
    "lookup by hisToken (cached)": (env, partner, next) =>
      tenantSource(env).byToken(`${partner}-token-${next()}-0123456789abcdef`),
    "lookup by partner + hospitalCode (cache cold: KV read, unseal, parse)": (env, partner, next) => {
      forgetCachedTenants();
      return tenantSource(env).find(partner, `H${next()}`);
    },
  };
  const rows: TenantRow[] = [];
  for (const [task, fn] of Object.entries(tasks)) {
    const nextOne = cycle(1);
    const nextMany = cycle(MANY);
    // Rounds of both, the ratio their median: the machine is shared, and its load drifts within a run.
    const ones: number[] = [];
    const manys: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Steady state: an isolate serving these hospitals reads each record once per REGISTRY_CACHE_MS; the
      // cold path is its own row.
      await Promise.all([warm(one, "ONE", 1), warm(many, "MANY", MANY)]);
      const bench = new Bench({ time: time / ROUNDS, warmupTime: warmupTime / ROUNDS, warmup: true, iterations: 20 });
      const [first, second] = round % 2 === 0 ? (["one", "many"] as const) : (["many", "one"] as const);
      for (const name of [first, second])
        bench.add(name, () => (name === "one" ? fn(one, "ONE", nextOne) : fn(many, "MANY", nextMany)) as Promise<void>);
      await bench.run();
      const mean = (name: string) => {
        const r = bench.getTask(name)!.result;
        if (r.state !== "completed") throw new Error(`${task} ${name}: ${r.state}`);
        return r.latency.mean;
      };
      ones.push(mean("one"));
      manys.push(mean("many"));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    rows.push({
      task,
      oneMeanUs: median(ones) * 1000,
      manyMeanUs: median(manys) * 1000,
      ratio: median(manys.map((m, i) => m / ones[i]!)),
    });
  }
  return rows;
}
