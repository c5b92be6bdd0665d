// What a wrangler config becomes under plain workerd (selfhost/plan.ts), as given/want tables, and the rendered
// workerd config (selfhost/capnp.ts) run by workerd itself: the stand-ins for Cloudflare-only bindings work.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { capnpText, renderServerConfig } from "../../selfhost/capnp.js";
import { planWorker, PlanError, type WranglerConfig } from "../../selfhost/plan.js";
import { parseServeArgs } from "../../selfhost/serve.js";
import { until } from "../support/serve.js";

const base: WranglerConfig = { name: "gw", compatibility_date: "2026-10-01", compatibility_flags: ["nodejs_compat"] };

describe("planWorker: bindings", () => {
  const cases: { given: string; config: Partial<WranglerConfig>; want: unknown[] }[] = [
    {
      given: "vars: strings as text, anything else as JSON; TENANTS always a secret",
      config: { vars: { LOG_LEVEL: "warn", LIMITS: { a: 1 } } },
      want: [
        { name: "LOG_LEVEL", kind: "text", value: "warn" },
        { name: "LIMITS", kind: "json", value: '{"a":1}' },
        { name: "TENANTS", kind: "secret" },
      ],
    },
    {
      given: "secrets.required: from the environment",
      config: { secrets: { required: ["TENANTS", "SIGNING_SALT"] } },
      want: [
        { name: "TENANTS", kind: "secret" },
        { name: "SIGNING_SALT", kind: "secret" },
      ],
    },
    {
      given: "a Durable Object of another Worker: left out",
      config: {
        durable_objects: { bindings: [{ name: "OTHER", class_name: "X", script_name: "elsewhere" }] },
      },
      want: [
        { name: "TENANTS", kind: "secret" },
        {
          name: "OTHER",
          kind: "absent",
          type: "Durable Object of another Worker",
          why: "X lives in elsewhere, which is not part of this server",
        },
      ],
    },
    {
      given: "service bindings: to a Worker of the same build, or left out",
      config: {
        services: [
          { binding: "DEMO_HIS", service: "demo-his" },
          { binding: "BILLING", service: "billing", entrypoint: "Api" },
        ],
      },
      want: [
        { name: "TENANTS", kind: "secret" },
        { name: "DEMO_HIS", kind: "service", worker: "demo-his" },
        {
          name: "BILLING",
          kind: "absent",
          type: "service binding",
          why: "the Worker billing is not part of this server",
        },
      ],
    },
    {
      given: "rate limits and Analytics Engine: self-hosted stand-ins",
      config: {
        ratelimits: [{ name: "PER_TENANT", simple: { limit: 100, period: 60 } }],
        analytics_engine_datasets: [{ binding: "METRICS", dataset: "hisgate" }],
      },
      want: [
        { name: "TENANTS", kind: "secret" },
        { name: "PER_TENANT", kind: "ratelimit", limit: 100, period: 60 },
        { name: "METRICS", kind: "analytics", dataset: "hisgate" },
      ],
    },
    {
      given: "D1, KV, queues, Workers AI: left out, each named",
      config: {
        d1_databases: [{ binding: "REGISTRY" }],
        kv_namespaces: [{ binding: "CACHE" }],
        queues: { producers: [{ binding: "JOBS" }] },
        ai: { binding: "AI" },
      },
      want: [
        { name: "TENANTS", kind: "secret" },
        { name: "CACHE", kind: "absent", type: "KV namespace", why: "no KV namespace outside Cloudflare" },
        { name: "REGISTRY", kind: "absent", type: "D1 database", why: "no D1 database outside Cloudflare" },
        { name: "JOBS", kind: "absent", type: "Queue producer", why: "no Queues outside Cloudflare" },
        { name: "AI", kind: "absent", type: "Workers AI", why: "no Workers AI outside Cloudflare" },
      ],
    },
  ];
  for (const c of cases)
    it(c.given, () => {
      expect(planWorker({ ...base, ...c.config }, ["demo-his"]).bindings).toEqual(c.want);
    });

  it("says what each left-out binding becomes, and that crons never fire", () => {
    const { notes } = planWorker({
      ...base,
      d1_databases: [{ binding: "REGISTRY" }],
      triggers: { crons: ["0 * * * *"] },
    });
    expect(notes).toContain(
      "REGISTRY: D1 database left out (no D1 database outside Cloudflare): env.REGISTRY is undefined",
    );
    expect(notes.some((n) => n.startsWith("cron triggers (0 * * * *)"))).toBe(true);
  });

  it("an each-minute cron becomes the CronAlarm: a SQLite namespace of the Worker's own class, bound as CRON_ALARM", () => {
    const plan = planWorker({ ...base, triggers: { crons: ["* * * * *", "0 3 * * *"] } });
    expect(plan.durableObjects).toEqual([{ className: "CronAlarm", uniqueKey: "gw-CronAlarm", enableSql: true }]);
    expect(plan.bindings).toContainEqual({ name: "CRON_ALARM", kind: "durableObject", className: "CronAlarm" });
    expect(plan.notes.some((n) => n.startsWith("cron trigger (* * * * *): workerd has no scheduler; a Durable"))).toBe(
      true,
    );
    expect(plan.notes.some((n) => n.startsWith("cron triggers (0 3 * * *)") && n.endsWith("never fire"))).toBe(true);
    expect(planWorker(base).durableObjects).toEqual([]);
  });
});

describe("planWorker: Durable Object namespaces from the migrations", () => {
  it("SQLite or not, renamed classes keep their storage key, deleted ones go", () => {
    const plan = planWorker({
      ...base,
      durable_objects: { bindings: [{ name: "Q", class_name: "Queue2" }] },
      migrations: [
        { tag: "v1", new_sqlite_classes: ["Queue", "Old"], new_classes: ["Kv"] },
        { tag: "v2", renamed_classes: [{ from: "Queue", to: "Queue2" }], deleted_classes: ["Old"] },
      ],
    });
    expect(plan.durableObjects).toEqual([
      { className: "Kv", uniqueKey: "gw-Kv", enableSql: false },
      { className: "Queue2", uniqueKey: "gw-Queue", enableSql: true },
    ]);
    expect(plan.bindings).toContainEqual({ name: "Q", kind: "durableObject", className: "Queue2" });
  });

  it("a bound class no migration creates is an error, not a namespace without storage", () => {
    expect(() => planWorker({ ...base, durable_objects: { bindings: [{ name: "Q", class_name: "Nope" }] } })).toThrow(
      PlanError,
    );
  });
});

describe("serve's variables", () => {
  const dir = mkdtempSync(join(tmpdir(), "hisgate-vars-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const args = (...more: string[]) => ["--tenants", "t.json", "--data", dir, ...more];

  it("--env-file lines, then --var on top (NAME=value, or NAME taken from the environment)", () => {
    const file = join(dir, "hisgate.env");
    writeFileSync(file, '# settings\nLOG_LEVEL=warn\nDOCS_TRY="off"\nNOTIFY_RETRY_DAYS=3\n');
    const options = parseServeArgs(
      args("--env-file", file, "--var", "NOTIFY_RETRY_DAYS=5", "--var", "MAX_BODY_BYTES"),
      { MAX_BODY_BYTES: "2048" },
    );
    expect(options.vars).toEqual({
      LOG_LEVEL: "warn",
      DOCS_TRY: "off",
      NOTIFY_RETRY_DAYS: "5",
      MAX_BODY_BYTES: "2048",
    });
  });

  it("TENANTS comes only from --tenants", () => {
    const file = join(dir, "tenants.env");
    writeFileSync(file, "TENANTS=[]\n");
    expect(() => parseServeArgs(args("--env-file", file), {})).toThrow("TENANTS comes from --tenants <file>");
    expect(() => parseServeArgs(args("--var", "TENANTS=[]"), {})).toThrow("tenants come from --tenants <file>");
  });
});

describe("capnpText", () => {
  const cases: [string, string][] = [
    ["plain", '"plain"'],
    ['a "quoted" \\ path', '"a \\"quoted\\" \\\\ path"'],
    ["line\nbreak\ttab\u0001", '"line\\nbreak\\ttab\\x01"'],
    ["陕西省 UTF-8", '"陕西省 UTF-8"'],
  ];
  for (const [given, want] of cases) it(JSON.stringify(given), () => expect(capnpText(given)).toBe(want));
});

describe("the rendered config under workerd", () => {
  const dir = mkdtempSync(join(tmpdir(), "hisgate-capnp-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("rate limit, Analytics Engine, vars, TENANTS from a file and an absent binding behave as the plan says", async () => {
    writeFileSync(
      join(dir, "probe.js"),
      `export default { async fetch(req, env) {
        const limits = [];
        for (let i = 0; i < 4; i++) limits.push((await env.PER_KEY.limit({ key: "a" })).success);
        limits.push((await env.PER_KEY.limit({ key: "b" })).success);
        await env.METRICS.writeDataPoint({ blobs: ["TestNet"], doubles: [1] });
        return Response.json({ limits, tenants: env.TENANTS, level: env.LOG_LEVEL, registry: env.REGISTRY === undefined });
      } };`,
    );
    writeFileSync(join(dir, "tenants.json"), '[{"partner":"P"}]');
    const plan = planWorker({
      name: "probe",
      compatibility_date: "2026-10-01",
      vars: { LOG_LEVEL: "info" },
      ratelimits: [{ name: "PER_KEY", simple: { limit: 3, period: 60 } }],
      analytics_engine_datasets: [{ binding: "METRICS", dataset: "hisgate" }],
      d1_databases: [{ binding: "REGISTRY" }],
    });
    writeFileSync(
      join(dir, "probe.capnp"),
      renderServerConfig({
        main: { plan, modules: [{ name: "probe.js", type: "esModule", embed: "probe.js" }] },
        listen: "127.0.0.1:0",
        dataDir: dir,
        tenants: { embed: "tenants.json" },
        vars: { LOG_LEVEL: "warn" },
      }),
    );
    const workerd = (createRequire(import.meta.url)("workerd") as { default: string }).default;
    const child = spawn(workerd, ["serve", join(dir, "probe.capnp"), "--control-fd", "3"], {
      stdio: ["ignore", "pipe", "pipe", "pipe"],
    });
    let out = "";
    let control = "";
    child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    (child.stdio[3] as NodeJS.ReadableStream).on("data", (d: Buffer) => (control += d.toString()));
    try {
      const port = await until("workerd to listen", () => /"port":(\d+)/.exec(control)?.[1]);
      const answer = await (await fetch(`http://127.0.0.1:${port}/`)).json();
      expect(answer).toEqual({
        limits: [true, true, true, false, true],
        tenants: '[{"partner":"P"}]',
        level: "warn",
        registry: true,
      });
      const point = await until("the data point on stdout", () =>
        out.split("\n").find((l) => l.includes('"event":"analytics"')),
      );
      expect(JSON.parse(point)).toEqual({
        level: "info",
        event: "analytics",
        dataset: "hisgate",
        blobs: ["TestNet"],
        doubles: [1],
      });
    } finally {
      child.kill("SIGKILL");
    }
  });
});
