import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import Ajv, { type ErrorObject } from "ajv";
import { parseDocument } from "yaml";
import type { Dictionary, Field, Payload, Rule, Service, Spec } from "./model.js";
import { SpecError, yamlPathOf } from "./spec-error.js";

const SCHEMAS = ["common", "service", "dictionaries", "result-codes", "errata", "envelope", "trail"] as const;

function readYaml(file: string, displayRoot: string): unknown {
  const text = readFileSync(file, "utf8");
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    throw new SpecError(
      relative(displayRoot, file),
      `line ${first.linePos?.[0]?.line ?? "?"}`,
      first.message.split("\n")[0]!,
    );
  }
  return doc.toJS();
}

// The schema's `not` rules, in words (ajv can only say "must NOT be valid").
const NOT_RULES: [suffix: string, reason: string][] = [
  ["/allOf/0/else/not", "only a list field may have child fields"],
  ["/allOf/2/then/not", "maxLength and format apply to String fields only"],
  ["/allOf/3/not", "a field takes either a dictionary or inline values, not both"],
  ["/allOf/4/then/not", "minimum applies to Int, Long and Decimal fields only"],
];

function describe(err: ErrorObject): string {
  if (err.keyword === "not") {
    const rule = NOT_RULES.find(([suffix]) => err.schemaPath.endsWith(suffix));
    if (rule) return rule[1];
  }
  if (err.keyword === "additionalProperties")
    return `unknown key "${(err.params as { additionalProperty: string }).additionalProperty}"`;
  if (err.keyword === "enum")
    return `${err.message}: ${(err.params as { allowedValues: unknown[] }).allowedValues.join(", ")}`;
  return err.message ?? err.keyword;
}

export function loadSpec(specDir: string): Spec {
  const displayRoot = join(specDir, "..");
  const ajv = new Ajv({ allErrors: false, strict: true, strictRequired: false, allowUnionTypes: true });
  for (const name of SCHEMAS) {
    ajv.addSchema(JSON.parse(readFileSync(join(specDir, "schema", `${name}.schema.json`), "utf8")));
  }
  const check = (schemaName: string, file: string): unknown => {
    const data = readYaml(file, displayRoot);
    const validate = ajv.getSchema(`https://hisgate.dev/spec/${schemaName}.schema.json`)!;
    if (!validate(data)) {
      // The deepest error is the most specific one.
      const errs = [...(validate.errors ?? [])].sort((a, b) => b.instancePath.length - a.instancePath.length);
      const err = errs[0]!;
      throw new SpecError(relative(displayRoot, file), yamlPathOf(err), describe(err));
    }
    return data;
  };

  const dictionaries = check("dictionaries", join(specDir, "dictionaries.yaml")) as Dictionary[];
  const resultCodes = check("result-codes", join(specDir, "result-codes.yaml")) as Spec["resultCodes"];
  const envelope = check("envelope", join(specDir, "envelope.yaml")) as Spec["envelope"];
  const errata = check("errata", join(specDir, "errata.yaml")) as Spec["errata"];
  const trail = check("trail", join(specDir, "trail.yaml")) as Spec["trail"];

  const serviceDir = join(specDir, "services");
  const services: Service[] = readdirSync(serviceDir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => {
      const file = join(serviceDir, f);
      const raw = check("service", file) as Omit<Service, "file" | "aliases"> & { aliases?: string[] };
      const service: Service = { ...raw, aliases: raw.aliases ?? [], file: relative(displayRoot, file) };
      if (basename(f, ".yaml") !== service.name) {
        throw new SpecError(service.file, "name", `must equal the file name "${basename(f, ".yaml")}"`);
      }
      return service;
    });

  const spec: Spec = { services, dictionaries, resultCodes, envelope, errata, trail };
  crossCheck(spec, specDir);
  return spec;
}

function crossCheck(spec: Spec, specDir: string): void {
  const dictionaries = new Map(spec.dictionaries.map((d) => [d.name, d]));
  const unique = (file: string, path: string, seen: Set<string>, key: string, what: string) => {
    if (seen.has(key)) throw new SpecError(file, path, `duplicate ${what} "${key}"`);
    seen.add(key);
  };

  const dictNames = new Set<string>();
  spec.dictionaries.forEach((d, i) => {
    unique("spec/dictionaries.yaml", `[${i}].name`, dictNames, d.name, "dictionary");
    const seen = new Set<string>();
    d.values.forEach((v, j) => {
      if ((d.valueType === "Int") !== (typeof v.value === "number")) {
        throw new SpecError(
          "spec/dictionaries.yaml",
          `[${i}].values[${j}].value`,
          `must be ${d.valueType === "Int" ? "an integer" : "a string"} (valueType ${d.valueType})`,
        );
      }
      unique("spec/dictionaries.yaml", `[${i}].values[${j}].value`, seen, String(v.value), "value");
    });
  });

  const codes = new Set<string>();
  spec.resultCodes.forEach((c, i) => unique("spec/result-codes.yaml", `[${i}].code`, codes, c.code, "result code"));

  const idNames = new Set<string>();
  spec.trail.businessIds.forEach((b, i) => {
    unique("spec/trail.yaml", `businessIds[${i}].name`, idNames, b.name, "business id");
    // A business id is a serial number the trail may keep: a top-level String somewhere in the standard.
    const used = spec.services.some((s) =>
      [s.request.fields, s.response?.fields ?? []].some((fs) =>
        fs.some((f) => f.name === b.name && f.type === "String"),
      ),
    );
    if (!used)
      throw new SpecError("spec/trail.yaml", `businessIds[${i}].name`, `no service has a String field "${b.name}"`);
  });

  const errataIds = new Set<string>();
  spec.errata.forEach((e, i) => unique("spec/errata.yaml", `[${i}].id`, errataIds, e.id, "erratum id"));

  const names = new Set<string>();
  const wire = new Map<string, string>(); // direction:spelling -> file that uses it
  for (const s of spec.services) {
    unique(s.file, "name", names, s.name, "service name");
    [s.wireName, ...s.aliases].forEach((spelling, i) => {
      const id = `${s.direction}:${spelling.toLowerCase()}`;
      const owner = wire.get(id);
      if (owner) {
        throw new SpecError(
          s.file,
          i === 0 ? "wireName" : `aliases[${i - 1}]`,
          `"${spelling}" is already a wire name or alias of ${owner} in the direction ${s.direction}`,
        );
      }
      wire.set(id, s.file);
    });
    s.errata.forEach((e, i) => unique(s.file, `errata[${i}].id`, errataIds, e.id, "erratum id"));
    const svcCodes = new Set<string>();
    s.resultCodes.forEach((c, i) => unique(s.file, `resultCodes[${i}].code`, svcCodes, c.code, "result code"));

    checkFields(s.file, "request.fields", s.request.fields, dictionaries);
    if (s.response) checkFields(s.file, "response.fields", s.response.fields, dictionaries);
    s.rules.forEach((r, i) => checkRule(s, r, `rules[${i}]`));
    const keyed = s.sideEffects === "once" || s.sideEffects === "notify";
    if (keyed !== (s.idempotency !== undefined) || (s.idempotency && s.idempotency.mode !== s.sideEffects)) {
      throw new SpecError(
        s.file,
        "sideEffects",
        `"${s.sideEffects}" and idempotency ${s.idempotency ? `mode "${s.idempotency.mode}"` : "absent"} disagree: once and notify need an idempotency of that mode; none and write have none`,
      );
    }
    s.idempotency?.key.forEach((k, i) => {
      const field = s.request.fields.find((f) => f.name === k);
      if (!field || field.type === "list" || !field.required) {
        throw new SpecError(s.file, `idempotency.key[${i}]`, `"${k}" must be a required scalar field of the request`);
      }
    });
    const fp = s.idempotency?.fingerprint.fields;
    if (Array.isArray(fp))
      fp.forEach((name, i) => {
        if (!s.request.fields.some((f) => f.name === name))
          throw new SpecError(
            s.file,
            `idempotency.fingerprint.fields[${i}]`,
            `"${name}" is not a field of the request`,
          );
        if (s.idempotency!.key.includes(name))
          throw new SpecError(
            s.file,
            `idempotency.fingerprint.fields[${i}]`,
            `"${name}" is part of the key; the fingerprint tells apart requests with the same key`,
          );
      });

    for (const kind of ["request", "response"] as const) {
      const ex = s.examples?.[kind];
      if (!ex) continue;
      if (!existsSync(join(specDir, "examples", ex.file))) {
        throw new SpecError(s.file, `examples.${kind}.file`, `no such fixture spec/examples/${ex.file}`);
      }
      if (kind === "response" && !s.response)
        throw new SpecError(s.file, "examples.response", "the service has no response payload");
      if (ex.errors.length > 0 && s.errata.length === 0) {
        throw new SpecError(
          s.file,
          `examples.${kind}.errors`,
          "an example that fails validation must be explained by an erratum",
        );
      }
    }
  }
}

function checkFields(file: string, path: string, fields: Field[], dictionaries: Map<string, Dictionary>): void {
  const seen = new Set<string>();
  fields.forEach((f, i) => {
    const at = `${path}[${i}]`;
    if (seen.has(f.name)) throw new SpecError(file, `${at}.name`, `duplicate field "${f.name}" under the same parent`);
    seen.add(f.name);
    if (f.dictionary && !dictionaries.has(f.dictionary)) {
      throw new SpecError(
        file,
        `${at}.dictionary`,
        `unknown dictionary "${f.dictionary}" (see spec/dictionaries.yaml)`,
      );
    }
    if (f.extraValues && !f.dictionary && !f.values)
      throw new SpecError(file, `${at}.extraValues`, "extraValues needs a dictionary or values");
    for (const key of ["values", "extraValues"] as const) {
      f[key]?.forEach((v, j) => {
        const wantNumber = f.type === "Int" || f.type === "Long";
        if (wantNumber !== (typeof v.value === "number")) {
          throw new SpecError(
            file,
            `${at}.${key}[${j}].value`,
            `must be ${wantNumber ? "an integer" : "a string"} for a ${f.type} field`,
          );
        }
      });
    }
    if (
      f.dictionary &&
      (f.type === "Int" || f.type === "Long") &&
      dictionaries.get(f.dictionary)!.valueType !== "Int"
    ) {
      throw new SpecError(
        file,
        `${at}.dictionary`,
        `dictionary "${f.dictionary}" has text values; the field is ${f.type}`,
      );
    }
    if (f.csv && f.type !== "String") throw new SpecError(file, `${at}.csv`, "csv applies to String fields only");
    // An amount's sign is a decision, never a default: a forgotten bound let -10.00 reach the HIS as a payment.
    if (f.unit !== undefined && f.minimum === undefined)
      throw new SpecError(
        file,
        `${at}.minimum`,
        "a money field must state its minimum (0, or null if it may be negative)",
      );
    if (f.type === "Decimal" && f.scale! > f.precision!)
      throw new SpecError(file, `${at}.scale`, "scale exceeds precision");
    if (f.fields) checkFields(file, `${at}.fields`, f.fields, dictionaries);
  });
}

/** Resolves a rule's field name to its payload: "request.x" / "response.x", or a bare name found in exactly one of them. */
export function ruleTarget(
  service: Service,
  name: string,
): { payload: "request" | "response"; field: Field } | undefined {
  const m = /^(request|response)\.(.+)$/.exec(name);
  const candidates: ("request" | "response")[] = m ? [m[1] as "request" | "response"] : ["request", "response"];
  const bare = m ? m[2]! : name;
  const found = candidates
    .map((p) => ({
      payload: p,
      field: (p === "request" ? service.request : service.response)?.fields.find((f) => f.name === bare),
    }))
    .filter((x): x is { payload: "request" | "response"; field: Field } => x.field !== undefined);
  return found.length === 1 ? found[0] : undefined;
}

function checkRule(s: Service, r: Rule, at: string): void {
  const need = (name: string, path: string) => {
    if (!ruleTarget(s, name))
      throw new SpecError(
        s.file,
        path,
        `"${name}" is not a top-level field of exactly one payload (prefix it with request. or response.)`,
      );
    return ruleTarget(s, name)!;
  };
  if (r.kind === "requiredWhen") {
    const a = need(r.field, `${at}.field`);
    const b = need(r.when.field, `${at}.when.field`);
    if (a.payload !== b.payload) throw new SpecError(s.file, at, "field and when.field must be in the same payload");
  } else if (r.kind === "atLeastOne") {
    const targets = r.fields.map((f, i) => need(f, `${at}.fields[${i}]`));
    if (new Set(targets.map((t) => t.payload)).size !== 1)
      throw new SpecError(s.file, at, "all fields must be in the same payload");
  }
}

export type { Payload };
