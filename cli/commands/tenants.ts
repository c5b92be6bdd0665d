import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../../worker/src/config/tenants.js";
import { registryEntries, type TenantSummary } from "../../worker/src/registry/records.js";
import { masterSecretProblem, newMasterSecret, tenantRecordName } from "../../worker/src/registry/seal.js";
import { flag, parse, str } from "../lib/args.js";
import type { Command } from "../lib/command.js";
import { failure, usage } from "../lib/errors.js";
import { readSource } from "../lib/input.js";
import { out, table } from "../lib/output.js";

const BINDING = "TENANT_REGISTRY";

const help = `Usage: hisgate tenants <import|list|remove|keygen> [options]

The tenant registry: one sealed record per hospital in the Worker's KV namespace ${BINDING}, for more
hospitals than the TENANTS secret holds (README, Tenant registry).

  hisgate tenants keygen
      prints a new master secret; store it as the Worker's secret (npx wrangler secret put TENANT_MASTER_KEY)
      and keep it in HISGATE_MASTER_KEY where you run import
  hisgate tenants import <tenants.json> [--remote] [--dry-run]
      validates the file exactly as the Worker validates TENANTS (same format), seals each tenant under
      HISGATE_MASTER_KEY and writes the records and the token index through wrangler (local by default)
  hisgate tenants list [--remote]
      the tenants in the registry, without keys, tokens or headers (no master secret needed)
  hisgate tenants remove <partner> <hospitalCode> [--remote]
      deletes that tenant's record (its token index entry then leads nowhere and lets nothing through)

Options:
  --remote              the deployed namespace (default: the local one that wrangler dev uses)
  --env <name>          the wrangler environment (e.g. dev)
  --config <path>       the wrangler configuration (default: wrangler.jsonc)
  --persist-to <dir>    local state directory (wrangler's --persist-to)
  --dry-run             import: validate and show what would be written, write nothing
  --json                list: the records' metadata as JSON

Examples:
  HISGATE_MASTER_KEY=… npx hisgate tenants import tenants.json --remote
  npx hisgate tenants list --remote`;

const OPTIONS = {
  remote: { type: "boolean" },
  env: { type: "string" },
  config: { type: "string" },
  "persist-to": { type: "string" },
  "dry-run": { type: "boolean" },
  json: { type: "boolean" },
} as const;

type Values = Parameters<typeof str>[0];

function wranglerArgs(values: Values): string[] {
  const remote = flag(values, "remote");
  const args = ["--binding", BINDING, remote ? "--remote" : "--local"];
  for (const name of ["env", "config"] as const) {
    const v = str(values, name);
    if (v !== undefined) args.push(`--${name}`, v);
  }
  const persist = str(values, "persist-to");
  if (persist !== undefined) {
    if (remote) throw usage("tenants: --persist-to is for the local namespace, not with --remote");
    args.push("--persist-to", persist);
  }
  return args;
}

/** Runs wrangler from the project (npx puts its Node 22 first on PATH); its output is returned, its failure one line. */
function wrangler(args: string[]): string {
  const run = spawnSync("npx", ["wrangler", ...args], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (run.error) throw failure(`tenants: cannot run wrangler: ${run.error.message}`);
  if (run.status !== 0) {
    const why = `${run.stderr}\n${run.stdout}`
      .split("\n")
      .map((l) => l.trim())
      .find((l) => /error|✘/i.test(l));
    throw failure(`tenants: wrangler ${args[0]} ${args[1]} failed${why ? `: ${why}` : ` (exit ${run.status})`}`);
  }
  return run.stdout;
}

async function importTenants(values: Values, file: string | undefined): Promise<number> {
  if (file === undefined) throw usage("tenants import: missing the tenants file (a TENANTS-format JSON array)");
  const master = process.env.HISGATE_MASTER_KEY;
  if (!master)
    throw usage("tenants import: set HISGATE_MASTER_KEY to the Worker's TENANT_MASTER_KEY (hisgate tenants keygen)");
  const problem = masterSecretProblem(master);
  if (problem) throw usage(`tenants import: HISGATE_MASTER_KEY: ${problem.replace(/^TENANT_MASTER_KEY /, "")}`);
  const text = await readSource(file, "tenants file");
  let entries;
  try {
    entries = await registryEntries(text, master);
  } catch (err) {
    if (err instanceof ConfigError) throw usage(`tenants import: ${file}: ${err.message}`);
    throw err;
  }
  const records = entries.filter((e) => e.key.startsWith("tenant/"));
  const where = flag(values, "remote") ? "remote" : "local";
  if (flag(values, "dry-run")) {
    for (const r of records) out(`would write ${r.key}`);
    out(`valid: ${records.length} tenants, ${entries.length - records.length} token index entries (nothing written)`);
    return 0;
  }
  // The sealed records hold nothing readable, but the file is still removed however wrangler ends.
  const dir = mkdtempSync(join(tmpdir(), "hisgate-tenants-"));
  try {
    const bulk = join(dir, "bulk.json");
    writeFileSync(bulk, JSON.stringify(entries), { mode: 0o600 });
    wrangler(["kv", "bulk", "put", bulk, ...wranglerArgs(values)]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  out(
    `imported ${records.length} tenants (${entries.length - records.length} token index entries) into ${BINDING} (${where})`,
  );
  return 0;
}

function listTenants(values: Values): number {
  const stdout = wrangler(["kv", "key", "list", "--prefix", "tenant/", ...wranglerArgs(values)]);
  const start = stdout.indexOf("[");
  let keys: { name: string; metadata?: TenantSummary }[];
  try {
    keys = JSON.parse(stdout.slice(start)) as typeof keys;
  } catch {
    throw failure("tenants list: wrangler's key list is not JSON");
  }
  if (flag(values, "json")) return (out(JSON.stringify(keys.map((k) => k.metadata ?? { record: k.name }))), 0);
  const rows = keys.map(({ name, metadata: m }) =>
    m
      ? [
          m.partner,
          m.hospitalCode,
          m.his,
          String(m.keys),
          m.hisToken ? "yes" : "no",
          m.platform ?? "",
          m.rateLimit ?? "",
          m.services === undefined ? "all" : String(m.services),
        ]
      : [name, "(no metadata: not written by hisgate tenants import)", "", "", "", "", "", ""],
  );
  for (const line of table(
    ["partner", "hospitalCode", "HIS", "keys", "hisToken", "platform", "rateLimit", "services"],
    rows,
  ))
    out(line);
  out(`${keys.length} tenants`);
  return 0;
}

export const tenantsCommand: Command = {
  name: "tenants",
  summary: "the tenant registry: import a tenants file, list or remove tenants, make a master secret",
  help,
  async run(argv) {
    const { values, positionals } = parse("tenants", argv, OPTIONS, 3);
    if (values.help) return (out(help), 0);
    const [action, file, extra] = positionals;
    if (extra !== undefined && action !== "remove")
      throw usage(`tenants ${action}: unexpected argument ${JSON.stringify(extra)}`);
    switch (action) {
      case "import":
        return importTenants(values, file);
      case "list":
        if (file !== undefined) throw usage(`tenants list: unexpected argument ${JSON.stringify(file)}`);
        return listTenants(values);
      case "remove": {
        if (file === undefined || extra === undefined)
          throw usage("tenants remove: give the partner and the hospitalCode of the tenant to remove");
        const name = tenantRecordName(file, extra);
        const found = wrangler(["kv", "key", "list", "--prefix", name, ...wranglerArgs(values)]);
        if (!found.includes(JSON.stringify(name)))
          throw failure(`tenants remove: no tenant ${file} ${extra} in the registry`);
        wrangler(["kv", "key", "delete", name, ...wranglerArgs(values)]);
        out(`removed ${file} ${extra} from ${BINDING} (${flag(values, "remote") ? "remote" : "local"})`);
        return 0;
      }
      case "keygen":
        out(newMasterSecret());
        return 0;
      default:
        throw usage(
          action === undefined
            ? "tenants: missing action (import, list, remove or keygen; see hisgate tenants --help)"
            : `tenants: unknown action ${JSON.stringify(action)} (import, list, remove or keygen)`,
        );
    }
  },
};
