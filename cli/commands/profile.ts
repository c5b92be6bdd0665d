import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { effectiveService } from "../../codegen/lib/compile-profile.js";
import { readProfile } from "../../codegen/lib/load-profiles.js";
import type { Profile } from "../../codegen/lib/profile-model.js";
import { getService } from "../../generated/registry.js";
import type { CompiledProfile } from "../../runtime/profile/index.js";
import { answerFrom } from "../../worker/src/his/profile-call.js";
import { GatewayError } from "../../worker/src/errors.js";
import { parse, str } from "../lib/args.js";
import type { Command } from "../lib/command.js";
import { failure, usage } from "../lib/errors.js";
import { out } from "../lib/output.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");

const help = `Usage: hisgate profile test <name>
       hisgate profile show <name> [Service]

HIS profiles (profiles/<name>.yaml, compiled by npm run codegen into generated/profiles/<name>.ts).

  test <name> [--examples <dir>]
                          replays the profile's example pairs (profiles/<name>/examples/*.json) through the
                          compiled profile, both ways: the standard request → what the HIS must receive, and
                          the HIS's answer → what the platform gets (after the standard's validator). Prints a
                          field-level diff for each failure; exit 1 if any.
  show <name> [Service]   prints the effective mapping of every service (or one): the profile's defaults merged
                          with the service's own transport and answer, its codes, paging and field rules.

An example file:
  { "service": "GetDoctorInfo",
    "request": { "standard": { ...the platform's business request... },
                 "his": { "method": "POST", "path": "/his/api/doctor/list", "body": { ... } | "<text>" } },
    "answer":  { "his": { ...the HIS's answer... } | "<XML or SOAP text>",
                 "standard": { "resultCode": "SUCCESS", "data": { ...the standard's answer... } } } }

Examples:
  hisgate profile test demo-legacy
  hisgate profile show demo-legacy GetScheduleInfo`;

interface Located {
  file: string;
  examples: string;
  module: string;
}

function locate(name: string): Located {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw usage(`profile: ${JSON.stringify(name)} is not a profile name`);
  for (const [dir, out] of [
    ["profiles", "generated/profiles"],
    ["test/profiles", "generated/profiles/test"],
  ] as const) {
    const file = join(root, dir, `${name}.yaml`);
    if (existsSync(file))
      return { file, examples: join(root, dir, name, "examples"), module: join(root, out, `${name}.ts`) };
  }
  const known = existsSync(join(root, "profiles"))
    ? readdirSync(join(root, "profiles"))
        .filter((f) => f.endsWith(".yaml"))
        .map((f) => f.slice(0, -5))
    : [];
  throw usage(`profile: no profile ${name} (profiles/: ${known.join(", ") || "none"})`);
}

/** Field-level differences between what was wanted and what came out, as "path: want …, got …" lines. */
export function diff(want: unknown, got: unknown, path = ""): string[] {
  const show = (v: unknown) => (v === undefined ? "(absent)" : JSON.stringify(v));
  if (Array.isArray(want) && Array.isArray(got)) {
    const lines: string[] = [];
    for (let i = 0; i < Math.max(want.length, got.length); i++) lines.push(...diff(want[i], got[i], `${path}[${i}]`));
    return lines;
  }
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (isObj(want) && isObj(got)) {
    const keys = [...new Set([...Object.keys(want), ...Object.keys(got)])];
    return keys.flatMap((k) => diff(want[k], got[k], path ? `${path}.${k}` : k));
  }
  // The gateway carries scalars as wire text: 1 and "1" are the same value.
  const same =
    want === got ||
    ((typeof want === "number" || typeof want === "string") &&
      (typeof got === "number" || typeof got === "string") &&
      String(want) === String(got));
  return same ? [] : [`${path || "(root)"}: want ${show(want)}, got ${show(got)}`];
}

function bodyOf(text: string | undefined, want: unknown, contentType: string | undefined): unknown {
  if (text === undefined || typeof want === "string") return text;
  if (contentType?.startsWith("application/x-www-form-urlencoded"))
    return Object.fromEntries(new URLSearchParams(text));
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

interface Example {
  service: string;
  description?: string;
  request: { standard: unknown; his?: { method?: string; path?: string; body?: unknown } };
  answer?: { his: unknown; status?: number; standard: { resultCode: string; data?: unknown } };
}

async function replay(compiled: CompiledProfile, example: Example): Promise<string[]> {
  const def = getService(example.service);
  if (!def) return [`service: unknown service ${example.service}`];
  const service = compiled.services[def.name];
  if (!service) return [`service: the profile does not map ${def.name}`];
  const request = def.validateRequest(example.request.standard);
  if (!request.ok) return request.errors.map((e) => `request.standard: ${e.messageEn}`);
  const problems: string[] = [];
  const sent = service.request(request.value as never);
  const his = example.request.his;
  if (his) {
    if (his.method !== undefined && his.method !== sent.method)
      problems.push(`request.method: want ${his.method}, got ${sent.method}`);
    if (his.path !== undefined && his.path !== sent.path)
      problems.push(`request.path: want ${JSON.stringify(his.path)}, got ${JSON.stringify(sent.path)}`);
    if (his.body !== undefined)
      problems.push(
        ...diff(his.body, bodyOf(sent.body, his.body, sent.headers["content-type"])).map((l) => `request.body.${l}`),
      );
  }
  if (example.answer) {
    const text = typeof example.answer.his === "string" ? example.answer.his : JSON.stringify(example.answer.his);
    let got: { resultCode: string; data?: unknown };
    try {
      const answer = answerFrom(compiled, def, service.read(text), example.answer.status ?? 200, request.value);
      got = { resultCode: answer.resultCode, ...(answer.data !== undefined ? { data: answer.data } : {}) };
      if (answer.resultCode === "SUCCESS" && def.hasResponse) {
        const checked = def.validateResponse(answer.data);
        if (!checked.ok) got = { resultCode: "ILLEGAL_RESPONSE", data: checked.errors.map((e) => e.messageEn) };
        else got = { resultCode: "SUCCESS", data: checked.value };
      }
    } catch (err) {
      if (!(err instanceof GatewayError) && !(err instanceof Error && err.name === "AnswerFormatError")) throw err;
      got = { resultCode: err instanceof GatewayError ? err.resultCode : "ILLEGAL_RESPONSE", data: err.message };
    }
    problems.push(...diff(example.answer.standard, got).map((l) => `answer.${l}`));
  }
  return problems;
}

async function test(name: string, examples: string | undefined): Promise<number> {
  const where = locate(name);
  if (examples !== undefined) where.examples = examples;
  if (!existsSync(where.module)) throw usage(`profile: ${name} is not compiled (run npm run codegen)`);
  const { profile: compiled } = (await import(where.module)) as { profile: CompiledProfile };
  const files = existsSync(where.examples)
    ? readdirSync(where.examples)
        .filter((f) => f.endsWith(".json"))
        .sort()
    : [];
  if (files.length === 0) throw failure(`profile test: ${name} has no examples in ${relative(root, where.examples)}/`);
  let failed = 0;
  out(`${name}: ${files.length} example${files.length === 1 ? "" : "s"} (${relative(root, where.examples)}/)`);
  for (const f of files) {
    let problems: string[];
    try {
      problems = await replay(compiled, JSON.parse(readFileSync(join(where.examples, f), "utf8")) as Example);
    } catch (err) {
      problems = [`${err instanceof Error ? err.message : String(err)}`];
    }
    if (problems.length === 0) out(`  ok    ${f}`);
    else {
      failed++;
      out(`  FAIL  ${f}`);
      for (const p of problems) out(`          ${p}`);
    }
  }
  out(failed ? `${failed} of ${files.length} failed` : `all ${files.length} passed`);
  return failed ? 1 : 0;
}

function show(name: string, serviceName: string | undefined): number {
  const where = locate(name);
  const profile: Profile = readProfile(readFileSync(where.file, "utf8"), relative(root, where.file), root);
  const names = serviceName === undefined ? Object.keys(profile.services) : [serviceName];
  for (const s of names)
    if (!profile.services[s])
      throw usage(`profile show: ${name} does not map ${s} (it maps ${Object.keys(profile.services).join(", ")})`);
  const effective = Object.fromEntries(names.map((s) => [s, effectiveService(profile, s)]));
  out(
    stringify(
      {
        profile: profile.name,
        ...(profile.description ? { description: profile.description } : {}),
        timezone: profile.timezone ?? "+08:00",
        ...(profile.noValue ? { noValue: profile.noValue } : {}),
        services: effective,
      },
      { lineWidth: 0 },
    ).trimEnd(),
  );
  return 0;
}

export const profileCommand: Command = {
  name: "profile",
  summary: "test a HIS profile against its examples, or show its effective mapping",
  help,
  async run(argv) {
    const { values, positionals } = parse("profile", argv, { examples: { type: "string" } }, 3);
    if (values.help) return (out(help), 0);
    const [action, name, service] = positionals;
    if (action === "test" && name !== undefined && service === undefined) return test(name, str(values, "examples"));
    if (action === "show" && name !== undefined) return show(name, service);
    throw usage("profile: usage: hisgate profile test <name> | hisgate profile show <name> [Service]");
  },
};
