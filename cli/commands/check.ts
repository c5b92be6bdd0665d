import { services, type ServiceDefinition } from "../../generated/registry.js";
import type { ServiceName } from "../../generated/types.js";
import { choice, flag, KEY, parse, PEER, str } from "../lib/args.js";
import type { Command } from "../lib/command.js";
import { CliError, failure, oneLine, usage } from "../lib/errors.js";
import { callHospital, callPlatformVia, type Exchanged } from "../lib/exchange.js";
import { readSource } from "../lib/input.js";
import { err, out, table } from "../lib/output.js";
import { peerOptions, tokenOption, type Transport } from "../lib/peer.js";
import { judge } from "../lib/reply.js";
import { parseJson } from "../../worker/src/payload/json.js";
import { CHECK_ORDER, learn, newContext, sampleRequest } from "../lib/samples.js";
import { resolveService, STATE_CHANGING } from "../lib/services.js";

const READ_ONLY_SKIPS = CHECK_ORDER.filter((n) => STATE_CHANGING.has(n));
// The hospital -> platform reads (spec: sideEffects none): safe to call with a sample through /platform.
const VIA_PLATFORM: readonly ServiceName[] = services
  .filter((s) => s.direction === "hospitalToPlatform" && s.sideEffects === "none")
  .map((s) => s.name);

/** Names joined with ", ", wrapped to the help's option column. */
const wrapped = (names: readonly string[], first: number): string => {
  const lines: string[] = [];
  let line = "";
  for (const name of names) {
    const next = line ? `${line}, ${name}` : name;
    if (next.length + (lines.length ? 28 : first) > 110 && line) {
      lines.push(`${line},`);
      line = name;
    } else line = next;
  }
  return [...lines, line].join(`\n${" ".repeat(28)}`);
};

const help = `Usage: hisgate check --url <url> --partner <id> --hospital <code> --key <key> [options]

A conformance sweep a hospital runs against its deployment before go-live: plays the platform and calls every
platform -> hospital service with a realistic, valid request (departments, doctors and schedules it learns from
the hospital's own answers feed the later requests), verifies each reply's signature, decrypts it and validates
it against the standard. Prints progress as it goes and a summary table.

A service passes when its reply is signed with the key and is SUCCESS with a valid response, or a business
code (S…, noted). It fails on a reply that does not verify or validate, a unified code of §2.3 (ILLEGAL_*,
SYSTEM_ERROR, SESSION_TIMEOUT, …), or a code the standard does not know. Exit 1 if any service fails.

  --url <url>               the deployment's base URL (default: $HISGATE_URL)
  --partner <id>            the platform's partner id (default: $HISGATE_PARTNER)
  --hospital <code>         the hospitalCode (default: $HISGATE_HOSPITAL)
  -k, --key <key>           the hospital's 16-character key (default: $HISGATE_KEY)
  --read-only               skip the services that change state (${wrapped(READ_ONLY_SKIPS, 62)})
  --format <f>              json | xml (POST /wd/api), get, soap; default json
  --output <o>              text (default) | json (the results as JSON on stdout; progress on stderr)
  --token <token>           the tenant's hisToken: also check ${VIA_PLATFORM.join(" and ")} through
                            <url>/platform (hospital -> platform; default: $HISGATE_TOKEN)
  --samples <file.json>     {"<Service>": {payload}, …}: use these requests instead of the built-in ones
  --only <A,B,…>            check only these services
  --timeout <ms>            per call; default 20000
  -v, --verbose             print every request and raw reply on stderr

Example:
  hisgate check --url https://his-gw.example.cn --partner TEST_WX --hospital 43010001 -k "$KEY" --read-only`;

export interface CheckResult {
  service: string;
  direction: "platformToHospital" | "hospitalToPlatform";
  resultCode: string;
  resultMessage: string;
  /** true/false, or null where the CLI cannot tell (/platform: the gateway verified it; no envelope). */
  verified: boolean | null;
  valid: boolean | null;
  ms: number;
  pass: boolean;
  note: string | null;
}

export const checkCommand: Command = {
  name: "check",
  summary: "conformance sweep of every platform -> hospital service of a deployment",
  help,
  async run(argv) {
    const { values } = parse(
      "check",
      argv,
      {
        ...KEY,
        ...PEER,
        "read-only": { type: "boolean" },
        format: { type: "string" },
        output: { type: "string" },
        samples: { type: "string" },
        only: { type: "string" },
      },
      0,
    );
    if (values.help) return (out(help), 0);
    const peer = peerOptions("check", values);
    const transport = choice<Transport>("check", values, "format", ["json", "xml", "get", "soap"], "json");
    const output = choice("check", values, "output", ["text", "json"], "text");
    const readOnly = flag(values, "read-only");
    const token = tokenOption(values);
    const samples = await loadSamples(str(values, "samples"));
    const only = str(values, "only")
      ?.split(",")
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => resolveService(s).name);

    const plan: ServiceDefinition[] = [
      ...CHECK_ORDER.filter((n) => !(readOnly && READ_ONLY_SKIPS.includes(n))).map((n) => resolveService(n)),
      ...(token ? VIA_PLATFORM.map((n) => resolveService(n)) : []),
    ].filter((d) => !only || only.includes(d.name));
    if (plan.length === 0) throw usage("check: --only leaves no service to check");

    // Progress goes where it does not mix with a machine-readable report.
    const progress = output === "json" ? err : out;
    const writes = plan.filter((d) => STATE_CHANGING.has(d.name)).map((d) => d.name);
    progress(
      `checking ${peer.url} as partner ${peer.partner}, hospitalCode ${peer.hospitalCode} (${transport}${readOnly ? ", read-only" : ""})`,
    );
    if (writes.length > 0)
      progress(`state-changing calls included (${writes.join(", ")}): use --read-only against a live HIS`);
    const ctx = newContext();
    const results: CheckResult[] = [];
    const n = plan.length;
    for (const [i, def] of plan.entries()) {
      const prefix = `[${String(i + 1).padStart(String(n).length)}/${n}] ${def.name} ...`;
      const payload = samples[def.name] ?? sampleRequest(def.name, ctx);
      const validated = def.validateRequest(payload);
      // --samples were checked up front; a built-in sample that fails is a bug of the CLI, said as such.
      if (!validated.ok)
        throw new Error(
          `the built-in ${def.name} sample is invalid: ${validated.errors.map((e) => e.path).join(", ")}`,
        );
      const request = validated.value;
      let exchanged: Exchanged;
      try {
        exchanged =
          def.direction === "hospitalToPlatform"
            ? await callPlatformVia(peer.url, def, token!, request, peer.timeoutMs, peer.verbose)
            : await callHospital(def, peer, request, transport);
      } catch (e) {
        if (!(e instanceof CliError)) throw e;
        // Nothing answers at all: one line, not sixteen identical failures.
        if (results.length === 0) throw failure(`check: ${e.message}`);
        exchanged = {
          ms: peer.timeoutMs,
          outcome: { resultCode: "-", resultMessage: "", verified: undefined, valid: undefined, problem: oneLine(e) },
        };
      }
      const { outcome, ms } = exchanged;
      const verdict = judge(outcome, def);
      if (verdict.pass) learn(ctx, def.name, outcome.data);
      results.push({
        service: def.name,
        direction: def.direction,
        resultCode: outcome.resultCode,
        resultMessage: outcome.resultMessage,
        verified: outcome.verified ?? null,
        valid: outcome.valid ?? null,
        ms,
        pass: verdict.pass,
        note: verdict.note ?? null,
      });
      const shown = outcome.problem
        ? `FAIL ${outcome.problem}`
        : outcome.resultCode === "SUCCESS"
          ? "SUCCESS"
          : `${outcome.resultCode} ${outcome.resultMessage}${verdict.pass ? "" : " (FAIL)"}`;
      progress(`${prefix} ${shown} ${ms} ms`);
    }

    const failed = results.filter((r) => !r.pass);
    const business = results.filter((r) => r.pass && r.resultCode !== "SUCCESS");
    const summary = `${results.length} services: ${results.length - failed.length} passed${
      business.length ? ` (${business.length} with a business code)` : ""
    }, ${failed.length} failed${readOnly ? `; skipped (read-only): ${READ_ONLY_SKIPS.join(", ")}` : ""}`;
    if (output === "json") {
      out(
        JSON.stringify(
          {
            url: peer.url,
            partner: peer.partner,
            hospitalCode: peer.hospitalCode,
            format: transport,
            readOnly,
            skipped: readOnly ? READ_ONLY_SKIPS : [],
            passed: failed.length === 0,
            results,
          },
          null,
          2,
        ),
      );
      err(summary);
    } else {
      out();
      const yesNo = (v: boolean | null, na: string) => (v === null ? na : v ? "yes" : "no");
      for (const line of table(
        ["service", "result", "signature", "response valid", "ms", "verdict", "note"],
        results.map((r) => [
          r.service,
          r.resultCode,
          yesNo(r.verified, r.direction === "hospitalToPlatform" ? "(gateway)" : "-"),
          yesNo(r.valid, "-"),
          String(r.ms),
          r.pass ? "pass" : "FAIL",
          r.note ?? "",
        ]),
      ))
        out(line);
      out();
      out(summary);
    }
    return failed.length > 0 ? 1 : 0;
  },
};

async function loadSamples(file: string | undefined): Promise<Partial<Record<ServiceName, Record<string, unknown>>>> {
  if (file === undefined) return {};
  let value: unknown;
  try {
    value = parseJson(await readSource(file, "samples file"));
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw usage(`check: samples file ${file} is not valid JSON: ${oneLine(e)}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw usage(`check: samples file ${file} must be a JSON object of {"<Service>": {payload}}`);
  const out: Partial<Record<ServiceName, Record<string, unknown>>> = {};
  for (const [name, payload] of Object.entries(value)) {
    if (typeof payload !== "object" || payload === null || Array.isArray(payload))
      throw usage(`check: samples file ${file}: ${name} must be a JSON object`);
    const def = resolveService(name);
    const result = def.validateRequest(payload);
    if (!result.ok)
      throw usage(
        `check: samples file ${file}: ${def.name} is not a valid request: ${result.errors.map((e) => e.messageEn).join("; ")}`,
      );
    out[def.name] = payload as Record<string, unknown>;
  }
  return out;
}
