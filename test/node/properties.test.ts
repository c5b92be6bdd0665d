// Property tests of the generated validators, driven by the spec itself: for every service and payload an arbitrary
// built from the field tree produces valid wire payloads (text leaves, lists as arrays), which must be accepted and
// coerced to the expected typed values; single mutations of one field must be rejected with exactly that field's
// path and keyword. The oracle here is independent of codegen: allowed values come from the spec's dictionaries and
// inline values, calendar validity from Date.UTC.
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadSpec, ruleTarget } from "../../codegen/lib/load-spec.js";
import type { Field, Service } from "../../codegen/lib/model.js";
import { getService } from "../../generated/registry.js";
import type { Keyword, Result } from "../../runtime/validate.js";
import { payWire } from "../support/pay-wire.js";

const root = join(import.meta.dirname, "../..");
const spec = loadSpec(join(root, "spec"));
const dictionaries = new Map(spec.dictionaries.map((d) => [d.name, d]));

const NUM_RUNS = 50;
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

type Kind = "request" | "response";
/** A generated payload node: what goes on the wire, and what the validator must hand back. */
interface Pair {
  wire: unknown;
  typed: unknown;
}
type Obj = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------------------------
// Value arbitraries

/** One code point per unit, so fast-check's length bounds count code points, as String(n) does. */
const unit = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.constant(" ") },
  { weight: 3, arbitrary: fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCodePoint(c)) }, // CJK
  { weight: 1, arbitrary: fc.integer({ min: 0x1f300, max: 0x1f64f }).map((c) => String.fromCodePoint(c)) }, // emoji
  { weight: 1, arbitrary: fc.constantFrom("𠀀", "𠮷", "𝄞", "😀") }, // astral CJK ext. B and friends
);

/** No leading or trailing whitespace (the validator trims), without changing the length. */
const fixEnds = (s: string): string => s.replace(/^ /, "x").replace(/ $/, "x");

const codePoints = (s: string): number => [...s].length;

function textArb(maxLength: number | undefined): fc.Arbitrary<string> {
  const n = maxLength ?? 300;
  return fc
    .oneof(
      { weight: 4, arbitrary: fc.string({ unit, minLength: 1, maxLength: Math.min(n, 24) }) },
      // Exactly at the limit: with astral characters the UTF-16 length exceeds n while the code point count does not.
      { weight: 1, arbitrary: fc.string({ unit, minLength: n, maxLength: n }) },
    )
    .map(fixEnds);
}

const daysIn = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();
const pad = (n: number, w = 2): string => String(n).padStart(w, "0");

const dateArb = fc
  .tuple(fc.integer({ min: 1900, max: 2099 }), fc.integer({ min: 1, max: 12 }))
  .chain(([y, m]) => fc.integer({ min: 1, max: daysIn(y, m) }).map((d) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`));
const hourArb = fc.integer({ min: 0, max: 23 });
const minuteArb = fc.integer({ min: 0, max: 59 });
const timeArb = fc.tuple(hourArb, minuteArb).map(([h, m]) => `${pad(h)}:${pad(m)}`);
const datetimeArb = fc
  .tuple(dateArb, timeArb, fc.integer({ min: 0, max: 59 }))
  .map(([d, t, s]) => `${d} ${t}:${pad(s)}`);
const rangeArb = (sep: string) =>
  fc
    .tuple(hourArb, minuteArb, hourArb, minuteArb)
    .map(([h1, m1, h2, m2]) => (h1 * 60 + m1 <= h2 * 60 + m2 ? [h1, m1, h2, m2] : [h2, m2, h1, m1]))
    .map(([h1, m1, h2, m2]) => `${pad(h1!)}${sep}${pad(m1!)}-${pad(h2!)}${sep}${pad(m2!)}`);

const FORMAT_ARBS: Record<NonNullable<Field["format"]>, fc.Arbitrary<string>> = {
  date: dateArb,
  time: timeArb,
  datetime: datetimeArb,
  timeRange: rangeArb(":"),
  timeRangeCompact: rangeArb(""),
};

/** Allowed values of a field, straight from the spec (dictionary or inline values, plus extraValues). */
function allowed(f: Field): (string | number)[] | undefined {
  const base = f.dictionary ? dictionaries.get(f.dictionary)!.values : f.values;
  if (!base) return undefined;
  const all = [...base, ...(f.extraValues ?? [])].map((v) => v.value);
  return f.type === "String" ? all.map(String) : all;
}

const digits = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: min, maxLength: max });

/** Decimal(p,s): at most p-s integer digits and s fraction digits. */
function decimalArb(precision: number, scale: number): fc.Arbitrary<string> {
  const intDigits = precision - scale;
  return fc
    .tuple(
      fc.constantFrom("", "", "", "-"),
      intDigits > 0 ? fc.integer({ min: 0, max: 10 ** intDigits - 1 }).map(String) : fc.constant("0"),
      scale > 0 ? digits(0, scale) : fc.constant(""),
    )
    .map(([sign, i, frac]) => `${sign}${i}${frac ? `.${frac}` : ""}`);
}

function scalarArb(f: Field): fc.Arbitrary<Pair> {
  const values = allowed(f);
  if (values) {
    return fc.constantFrom(...values).map((v) => ({ wire: String(v), typed: v }));
  }
  switch (f.type) {
    case "String": {
      const arb = f.format ? FORMAT_ARBS[f.format] : textArb(f.maxLength);
      return arb.map((s) => ({ wire: s, typed: s }));
    }
    case "Int":
      return fc
        .tuple(
          fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: INT_MIN, max: INT_MAX })),
          fc.constantFrom("", "", "", "+"),
        )
        .filter(([n]) => n >= (f.minimum ?? INT_MIN))
        .map(([n, sign]) => ({ wire: n >= 0 ? `${sign}${n}` : String(n), typed: n }));
    case "Long":
      return fc
        .oneof(fc.integer({ min: 0, max: 1000 }), fc.maxSafeInteger())
        .filter((n) => n >= (f.minimum ?? -Infinity))
        .map((n) => ({ wire: String(n), typed: n }));
    case "Decimal":
      return decimalArb(f.precision!, f.scale!)
        .filter((s) => Number(s) >= (f.minimum ?? -Infinity))
        .map((s) => ({ wire: s, typed: Number(s) }));
    default:
      throw new Error(`not a scalar: ${f.name}`);
  }
}

/**
 * A payload node. Required fields and the fields in `always` are present; optional ones are sometimes omitted.
 * Now and then an element the table does not list is added: it must be ignored.
 */
function nodeArb(fields: Field[], always: ReadonlySet<Field>): fc.Arbitrary<Pair> {
  const parts = fields.map((f) => {
    const arb: fc.Arbitrary<Pair> =
      f.type === "list"
        ? fc
            .array(nodeArb(f.fields!, always), { minLength: 1, maxLength: 3 })
            .map((items) => ({ wire: items.map((i) => i.wire), typed: items.map((i) => i.typed) }))
        : scalarArb(f);
    return f.required || always.has(f) ? arb : fc.option(arb, { nil: undefined, freq: 4 });
  });
  return fc.tuple(fc.tuple(...parts), fc.option(fc.constant("ignored"), { freq: 2 })).map(([values, extra]) => {
    const wire: Obj = {};
    const typed: Obj = {};
    fields.forEach((f, i) => {
      const p = values[i];
      if (p === undefined) return;
      wire[f.name] = p.wire;
      typed[f.name] = p.typed;
    });
    if (extra !== null) wire.notInTheTable = extra;
    return { wire, typed };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Payloads and rules

interface PayloadCase {
  name: string;
  service: Service;
  kind: Kind;
  fields: Field[];
  /** Top-level fields a valid payload always carries: requiredWhen targets, the first of each atLeastOne. */
  ruleFields: Set<Field>;
  /** Fields named by a rule whose removal would add a rule error besides `required`. */
  ruleGuarded: Set<Field>;
  validate: (input: unknown) => Result<unknown>;
}

const payloads: PayloadCase[] = spec.services.flatMap((s) =>
  (["request", "response"] as const).flatMap((kind): PayloadCase[] => {
    const payload = kind === "request" ? s.request : s.response;
    if (!payload) return [];
    const ruleFields = new Set<Field>();
    const ruleGuarded = new Set<Field>();
    for (const r of s.rules) {
      if (r.kind === "requiredWhen") {
        const t = ruleTarget(s, r.field)!;
        if (t.payload === kind) {
          ruleFields.add(t.field);
          ruleGuarded.add(t.field);
        }
      } else if (r.kind === "atLeastOne") {
        const targets = r.fields.map((f) => ruleTarget(s, f)!);
        if (targets[0]!.payload === kind) {
          ruleFields.add(targets[0]!.field);
          for (const t of targets) ruleGuarded.add(t.field);
        }
      }
    }
    const def = getService(s.name)!;
    return [
      {
        name: `${s.name} ${kind}`,
        service: s,
        kind,
        fields: payload.fields,
        ruleFields,
        ruleGuarded,
        validate: kind === "request" ? def.validateRequest : def.validateResponse,
      },
    ];
  }),
);

// ---------------------------------------------------------------------------------------------------------------
// Mutations

type Mutation = "required" | "maxLength" | "minimum" | "enum" | "format" | "type" | "decimalScale";

const KEYWORD: Record<Mutation, Keyword> = {
  required: "required",
  maxLength: "maxLength",
  minimum: "minimum",
  enum: "enum",
  format: "format",
  type: "type",
  decimalScale: "type",
};

/** A field somewhere in the tree: the list nodes leading to it, then the field. */
interface Site {
  lists: Field[];
  field: Field;
}

function sites(fields: Field[], lists: Field[] = []): Site[] {
  return fields.flatMap((f) => [{ lists, field: f }, ...(f.type === "list" ? sites(f.fields!, [...lists, f]) : [])]);
}

function eligible(c: PayloadCase, m: Mutation): Site[] {
  return sites(c.fields).filter(({ lists, field: f }) => {
    switch (m) {
      case "required":
        return f.required && !(lists.length === 0 && c.ruleGuarded.has(f));
      case "maxLength":
        return f.type === "String" && f.maxLength !== undefined;
      case "minimum":
        return typeof f.minimum === "number";
      case "enum":
        return f.type !== "list" && allowed(f) !== undefined;
      case "format":
        return f.format !== undefined;
      case "type":
        return f.type === "Int" || f.type === "Long";
      case "decimalScale":
        return f.type === "Decimal";
    }
  });
}

const IMPOSSIBLE_DATES = ["2017-02-30", "2019-02-29", "2017-13-01", "2017-00-10", "2017-04-31", "1900-02-29"];
const BAD_FORMATS: Record<NonNullable<Field["format"]>, string[]> = {
  date: [...IMPOSSIBLE_DATES, "2017-2-8", "20170208", "2017/02/08"],
  datetime: [
    ...IMPOSSIBLE_DATES.map((d) => `${d} 10:00:00`),
    "2017-02-08 24:00:00",
    "2017-02-08 10:60:00",
    "2017-02-08T10:00:00",
    "2017-02-08",
  ],
  time: ["24:00", "12:60", "9:00", "0900", "09:00:00"],
  timeRange: ["24:00-25:00", "08:00-09:60", "08:00~09:00", "0800-0930"],
  timeRangeCompact: ["2400-2500", "0800-0960", "08:00-09:30", "0800~0930"],
};

/** The bad wire value for a mutation; undefined = remove the field. */
function badValueArb(m: Mutation, f: Field): fc.Arbitrary<unknown> {
  switch (m) {
    case "required":
      // Absent, or present but empty (empty and whitespace-only text count as absent). An empty array is a list
      // of zero rows, not a missing list.
      return f.type === "list" ? fc.constantFrom(undefined, "") : fc.constantFrom(undefined, "", "   ");
    case "minimum": {
      // Below the bound, as wire text: by one unit of the field's last digit, or by far.
      const step = f.type === "Decimal" ? 10 ** -f.scale! : 1;
      return fc
        .oneof(fc.constant(1), fc.integer({ min: 2, max: 10 ** Math.min(6, (f.precision ?? 9) - (f.scale ?? 0)) }))
        .map((k) => (f.minimum! - k * step).toFixed(f.type === "Decimal" ? f.scale! : 0));
    }
    case "maxLength":
      return fc.string({ unit, minLength: f.maxLength! + 1, maxLength: f.maxLength! + 1 }).map(fixEnds);
    case "enum": {
      const values = allowed(f)!;
      if (f.type === "String") {
        return fc
          .string({
            unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789"),
            minLength: 1,
            maxLength: Math.min(8, f.maxLength ?? 8),
          })
          .filter((s) => !values.includes(s));
      }
      return fc
        .oneof(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: INT_MIN, max: INT_MAX }))
        .filter((n) => !values.includes(n))
        .map(String);
    }
    case "format":
      return fc.constantFrom(
        ...BAD_FORMATS[f.format!].filter((s) => f.maxLength === undefined || s.length <= f.maxLength),
      );
    case "type":
      return fc.constantFrom(
        "abc",
        "1.5",
        "12a",
        "1e3",
        "0x10",
        "一",
        "- 1",
        "1,000",
        f.type === "Int" ? "2147483648" : "9007199254740993",
        f.type === "Int" ? "-2147483649" : "-9007199254740993",
      );
    case "decimalScale":
      // One fraction digit too many, the last one non-zero (trailing zeros do not count).
      return fc
        .tuple(fc.integer({ min: 0, max: 9999 }), digits(f.scale!, f.scale!), fc.integer({ min: 1, max: 9 }))
        .map(([i, frac, last]) => `${i}.${frac}${last}`);
  }
}

/** Applies the mutation to a deep copy of the wire payload; returns the mutated payload and the expected path. */
function mutate(wire: Obj, kind: Kind, site: Site, picks: number[], bad: unknown): { input: Obj; path: string } {
  const input = structuredClone(wire);
  let node: Obj = input;
  let path: string = kind;
  site.lists.forEach((l, depth) => {
    const items = node[l.name] as Obj[];
    const i = picks[depth]! % items.length;
    path += `.${l.name}[${i}]`;
    node = items[i]!;
  });
  path += `.${site.field.name}`;
  if (bad === undefined) delete node[site.field.name];
  else node[site.field.name] = bad;
  return { input, path };
}

interface RuleCheck {
  label: string;
  /** Fields the sample must carry before `apply` changes it. */
  always: Field[];
  apply: (wire: Obj, pick: number) => void;
  expected: { path: string; keyword: Keyword }[];
}

function ruleChecks(c: PayloadCase): RuleCheck[] {
  return c.service.rules.flatMap((r): RuleCheck[] => {
    if (r.kind === "requiredWhen") {
      const target = ruleTarget(c.service, r.field)!;
      const when = ruleTarget(c.service, r.when.field)!;
      if (target.payload !== c.kind) return [];
      const out: RuleCheck[] = [
        {
          label: `requiredWhen: ${target.field.name} is required when ${when.field.name} in [${r.when.in.join(", ")}]`,
          always: [when.field],
          apply: (wire, pick) => {
            wire[when.field.name] = String(r.when.in[pick % r.when.in.length]);
            delete wire[target.field.name];
          },
          expected: [{ path: `${c.kind}.${target.field.name}`, keyword: "requiredWhen" }],
        },
      ];
      const others = (allowed(when.field) ?? []).filter((v) => !r.when.in.includes(v));
      if (others.length > 0 && !target.field.required) {
        out.push({
          label: `requiredWhen: ${target.field.name} may be absent when ${when.field.name} is not in [${r.when.in.join(", ")}]`,
          always: [when.field],
          apply: (wire, pick) => {
            wire[when.field.name] = String(others[pick % others.length]);
            delete wire[target.field.name];
          },
          expected: [],
        });
      }
      return out;
    }
    if (r.kind === "atLeastOne") {
      const targets = r.fields.map((f) => ruleTarget(c.service, f)!);
      if (targets[0]!.payload !== c.kind) return [];
      const names = targets.map((t) => t.field.name);
      return [
        {
          label: `atLeastOne: one error at ${names[0]} when none of ${names.join(", ")} is present`,
          always: [],
          apply: (wire, pick) => {
            for (const n of names) {
              // Absent or empty: both count as missing.
              if (pick % 2 === 0) delete wire[n];
              else wire[n] = targets.find((t) => t.field.name === n)!.field.type === "list" ? [] : " ";
            }
          },
          expected: [{ path: `${c.kind}.${names[0]}`, keyword: "atLeastOne" }],
        },
        ...names.slice(1).map((n) => ({
          label: `atLeastOne: ${n} alone satisfies it`,
          always: [targets.find((t) => t.field.name === n)!.field],
          apply: (wire: Obj) => {
            for (const other of names) if (other !== n) delete wire[other];
          },
          expected: [],
        })),
      ];
    }
    return [];
  });
}

// ---------------------------------------------------------------------------------------------------------------

describe("generated validators: property tests", () => {
  it("covers every service and payload", () => {
    expect(spec.services).toHaveLength(21);
    expect(payloads.length).toBe(spec.services.length + spec.services.filter((s) => s.response !== null).length);
  });

  it("checks the generators themselves: valid dates only, lengths in code points", () => {
    fc.assert(
      fc.property(dateArb, (d) => {
        const [y, m, day] = d.split("-").map(Number);
        const back = new Date(Date.UTC(y!, m! - 1, day));
        expect(back.getUTCMonth() + 1).toBe(m);
        expect(back.getUTCDate()).toBe(day);
      }),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(textArb(16), (s) => {
        expect(codePoints(s)).toBeLessThanOrEqual(16);
        expect(s.trim()).toBe(s);
        expect(s.length).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
  });

  describe.each(payloads)("$name", (c) => {
    it("accepts valid payloads and returns the typed values", () => {
      fc.assert(
        fc.property(nodeArb(c.fields, c.ruleFields), ({ wire, typed }) => {
          const result = c.validate(wire);
          if (!result.ok)
            expect.fail(`rejected a valid payload: ${JSON.stringify(result.errors)}\n${JSON.stringify(wire)}`);
          expect(result.value).toEqual(typed);
        }),
        { numRuns: NUM_RUNS },
      );
    });

    const mutations = (Object.keys(KEYWORD) as Mutation[])
      .map((m) => ({ mutation: m, keyword: KEYWORD[m], sites: eligible(c, m) }))
      .filter((x) => x.sites.length > 0);

    it.each(mutations)(
      "rejects $mutation with exactly one $keyword error at the field's path",
      ({ mutation, keyword, sites: targets }) => {
        const arb = fc.constantFrom(...targets).chain((site) =>
          fc.record({
            site: fc.constant(site),
            // The mutated field and the lists leading to it are always present.
            sample: nodeArb(c.fields, new Set([...c.ruleFields, ...site.lists, site.field])),
            picks: fc.array(fc.nat({ max: 2 }), { minLength: site.lists.length, maxLength: site.lists.length }),
            bad: badValueArb(mutation, site.field),
          }),
        );
        fc.assert(
          fc.property(arb, ({ site, sample, picks, bad }) => {
            const { input, path } = mutate(sample.wire as Obj, c.kind, site, picks, bad);
            const result = c.validate(input);
            expect(result.ok, `accepted ${JSON.stringify(input)}`).toBe(false);
            if (!result.ok) {
              expect(result.errors.map((e) => ({ path: e.path, keyword: e.keyword }))).toEqual([{ path, keyword }]);
              expect(result.errors[0]!.message).toContain(path);
              expect(result.errors[0]!.messageEn.length).toBeGreaterThan(0);
            }
          }),
          { numRuns: NUM_RUNS },
        );
      },
    );
    // Conditional rules: break one, and only its error appears; leave its condition unmet, and nothing does.
    const rules = ruleChecks(c);
    if (rules.length > 0) {
      it.each(rules)("$label", ({ always, apply, expected }) => {
        fc.assert(
          fc.property(nodeArb(c.fields, new Set([...c.ruleFields, ...always])), fc.nat(), ({ wire }, pick) => {
            const input = structuredClone(wire) as Obj;
            apply(input, pick);
            const result = c.validate(input);
            const errors = result.ok ? [] : result.errors.map((e) => ({ path: e.path, keyword: e.keyword }));
            expect(errors).toEqual(expected);
          }),
          { numRuns: NUM_RUNS },
        );
      });
    }
  });

  it("exercises every mutation kind, also inside lists", () => {
    for (const m of Object.keys(KEYWORD) as Mutation[]) {
      expect(
        payloads.some((c) => eligible(c, m).length > 0),
        m,
      ).toBe(true);
    }
    for (const m of ["required", "maxLength", "enum", "format", "type"] as const) {
      expect(
        payloads.some((c) => eligible(c, m).some((s) => s.lists.length > 0)),
        m,
      ).toBe(true);
    }
  });
});

describe("generated validators: fixed cases behind the properties", () => {
  it.each(["2017-02-30", "2019-02-29", "2017-13-01"])("rejects the impossible date %s", (d) => {
    const r = getService("DownloadStatement")!.validateRequest({ statementDate: d });
    expect(r.ok ? [] : r.errors.map((e) => [e.path, e.keyword])).toEqual([["request.statementDate", "format"]]);
  });
  it("accepts 2020-02-29 (leap year) and 2000-02-29 (divisible by 400)", () => {
    for (const d of ["2020-02-29", "2000-02-29"]) {
      expect(getService("DownloadStatement")!.validateRequest({ statementDate: d }).ok).toBe(true);
    }
  });
  it("counts String(n) in code points: 16 emoji fit String(16), 17 do not", () => {
    const check = getService("TestNet")!.validateRequest;
    expect(check({ ip: "😀".repeat(16) }).ok).toBe(true);
    expect(check({ ip: "𠮷".repeat(16) }).ok).toBe(true);
    const r = check({ ip: "😀".repeat(17) });
    expect(r.ok ? [] : r.errors.map((e) => [e.path, e.keyword])).toEqual([["request.ip", "maxLength"]]);
  });
});

describe("generated validators: bounds the spec states (paging ≥ 1, money ≥ 0)", () => {
  const paths = (r: Result<unknown>) => (r.ok ? [] : r.errors.map((e) => [e.path, e.keyword]));
  const paging = ["GetDepartmentInfo", "GetDoctorInfo", "GetScheduleInfo"];
  it.each(paging)("%s: pageSize and currentPage below 1 are refused, 1 is accepted", (name) => {
    const check = getService(name)!.validateRequest;
    const base = {
      departmentId: "01",
      currentPage: "1",
      pageSize: "1",
      startDate: "2017-02-08",
      endDate: "2017-02-08",
    };
    expect(check(base).ok).toBe(true);
    for (const bad of ["0", "-1", "-2147483648"]) {
      expect(paths(check({ ...base, pageSize: bad })), `pageSize ${bad}`).toEqual([["request.pageSize", "minimum"]]);
      expect(paths(check({ ...base, currentPage: bad })), `currentPage ${bad}`).toEqual([
        ["request.currentPage", "minimum"],
      ]);
    }
  });

  const pay = payWire("X1");
  it("Pay: a negative amount is refused naming the field; zero is an amount", () => {
    const check = getService("Pay")!.validateRequest;
    expect(check(pay).ok).toBe(true);
    expect(paths(check({ ...pay, totalFee: "-10.00" }))).toEqual([["request.totalFee", "minimum"]]);
    expect(paths(check({ ...pay, realFee: -0.01 }))).toEqual([["request.realFee", "minimum"]]);
    expect(check({ ...pay, totalFee: "0.00", realFee: "0" }).ok).toBe(true);
    const r = check({ ...pay, totalFee: "-10.00" });
    expect(r.ok ? "" : r.errors[0]!.messageEn).toBe("request.totalFee must be at least 0");
  });

  it("every money field of the standard (unit 分) refuses a negative amount", () => {
    const moneyFields = spec.services.flatMap((s) =>
      (["request", "response"] as const).flatMap((kind) =>
        sitesOf(kind === "request" ? s.request.fields : (s.response?.fields ?? [])).filter((f) => f.unit === "分"),
      ),
    );
    expect(moneyFields.length).toBeGreaterThan(30);
    for (const f of moneyFields) expect(f.minimum, f.name).toBe(0);
  });
});

describe("generated validators: an empty required list is zero rows, a missing one an error", () => {
  const paths = (r: Result<unknown>) => (r.ok ? [] : r.errors.map((e) => [e.path, e.keyword]));
  it("GetDoctorInfo answered with count 0 and doctor [] is valid and keeps the empty list", () => {
    const r = getService("GetDoctorInfo")!.validateResponse({ count: 0, doctor: [] });
    expect(r.ok).toBe(true);
    expect(r.ok && r.value).toEqual({ count: 0, doctor: [] });
    expect(paths(getService("GetDoctorInfo")!.validateResponse({ count: 0 }))).toEqual([
      ["response.doctor", "required"],
    ]);
  });
  it("every required list of the standard accepts [] and refuses absence", () => {
    let seen = 0;
    for (const s of spec.services) {
      for (const kind of ["request", "response"] as const) {
        const fields = kind === "request" ? s.request.fields : (s.response?.fields ?? []);
        for (const f of fields.filter((x) => x.type === "list" && x.required)) {
          seen++;
          const def = getService(s.name)!;
          const check = kind === "request" ? def.validateRequest : def.validateResponse;
          const empty = paths(check({ [f.name]: [] })).filter(([p]) => p === `${kind}.${f.name}`);
          expect(empty, `${s.name} ${kind}.${f.name}`).toEqual([]);
          const missing = paths(check({})).filter(([p]) => p === `${kind}.${f.name}`);
          expect(missing, `${s.name} ${kind}.${f.name}`).toEqual([[`${kind}.${f.name}`, "required"]]);
        }
      }
    }
    expect(seen).toBeGreaterThan(5);
  });
});

function sitesOf(fields: Field[]): Field[] {
  return fields.flatMap((f) => [f, ...(f.type === "list" ? sitesOf(f.fields!) : [])]);
}
