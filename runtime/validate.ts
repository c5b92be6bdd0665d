// Small helpers that the generated validators (generated/validators.ts) call, kept in one place instead of
// inlined into every validator, as ajv does with its runtime. Everything here must stay free of eval: Workers
// refuse code generation while handling a request.

export type Keyword = "required" | "type" | "maxLength" | "enum" | "format" | "requiredWhen" | "atLeastOne";

export interface ValidationError {
  /** Field path in the business payload, e.g. `request.user[0].id`. */
  path: string;
  keyword: Keyword;
  /** Chinese reason, for the platform's resultMessage. */
  message: string;
  /** English reason, for logs and integrators. */
  messageEn: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; errors: ValidationError[] };
export type Obj = Record<string, unknown>;
export type Errors = ValidationError[];

const TEXT_TYPE = { zh: "文本", en: "text" };
const TYPE_NAMES: Record<string, { zh: string; en: string }> = {
  string: TEXT_TYPE,
  int: { zh: "整数", en: "an integer" },
  long: { zh: "长整数", en: "a long integer" },
  decimal: { zh: "数值", en: "a decimal number" },
  list: { zh: "列表", en: "a list" },
  object: { zh: "对象", en: "an object" },
};

const FORMAT_NAMES: Record<Format, string> = {
  date: "YYYY-MM-DD",
  time: "HH24:MI",
  datetime: "YYYY-MM-DD HH24:MI:SS",
  timeRange: "HH24:MI-HH24:MI",
  timeRangeCompact: "HH24MI-HH24MI",
};

// Message templates; `{path}` is the field path, the rest are the keyword's parameters.
const TEMPLATES: Record<Keyword, { zh: string; en: string }> = {
  required: { zh: "{path}不能为空", en: "{path} is required" },
  type: { zh: "{path}应为{type}", en: "{path} must be {typeEn}" },
  maxLength: { zh: "{path}长度不能超过{limit}", en: "{path} must be at most {limit} characters" },
  enum: { zh: "{path}取值不在允许范围内：{allowed}", en: "{path} must be one of: {allowed}" },
  format: { zh: "{path}格式应为{format}", en: "{path} must match {format}" },
  requiredWhen: { zh: "{path}在{when}时必填", en: "{path} is required when {when}" },
  atLeastOne: { zh: "{fields}至少填写一项", en: "at least one of {fields} is required" },
};

function fill(template: string, params: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => params[k] ?? "");
}

export function report(e: Errors, keyword: Keyword, path: string, params: Record<string, string> = {}): false {
  const all = { path, ...params };
  e.push({ path, keyword, message: fill(TEMPLATES[keyword].zh, all), messageEn: fill(TEMPLATES[keyword].en, all) });
  return false;
}

function typeError(e: Errors, path: string, type: keyof typeof TYPE_NAMES): undefined {
  const t = TYPE_NAMES[type]!;
  report(e, "type", path, { type: t.zh, typeEn: t.en });
  return undefined;
}

const BAD: unique symbol = Symbol("bad");

/** Wire text of a scalar: XML and the platform's JSON carry numbers as text; empty means absent (spec/README.md). */
function text(value: unknown): string | undefined | typeof BAD {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") {
    const t = value.trim();
    return t === "" ? undefined : t;
  }
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : BAD;
  return BAD;
}

export function present(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object" && value !== null) return true;
  const t = text(value);
  return t !== undefined;
}

function absent(e: Errors, path: string, required: boolean): undefined {
  if (required) report(e, "required", path);
  return undefined;
}

function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

export function str(
  value: unknown,
  path: string,
  required: boolean,
  maxLength: number | undefined,
  e: Errors,
): string | undefined {
  const t = text(value);
  if (t === undefined) return absent(e, path, required);
  if (t === BAD) return typeError(e, path, "string");
  // String(n) counts characters, not bytes: the platform's .NET and Java peers measure string length that way.
  if (maxLength !== undefined && t.length > maxLength && codePoints(t) > maxLength) {
    report(e, "maxLength", path, { limit: String(maxLength) });
    return undefined;
  }
  return t;
}

const INT = /^[+-]?\d{1,19}$/;

export function int(value: unknown, path: string, required: boolean, e: Errors): number | undefined {
  const t = text(value);
  if (t === undefined) return absent(e, path, required);
  if (t === BAD || !INT.test(t)) return typeError(e, path, "int");
  const n = Number(t);
  // Int is the platform's 32-bit int (Java int, .NET Int32).
  if (n > 2147483647 || n < -2147483648) return typeError(e, path, "int");
  return n;
}

export function long(value: unknown, path: string, required: boolean, e: Errors): number | undefined {
  const t = text(value);
  if (t === undefined) return absent(e, path, required);
  if (t === BAD || !INT.test(t)) return typeError(e, path, "long");
  const n = Number(t);
  // Beyond 2^53 a JSON number would silently lose digits on the HIS side.
  if (!Number.isSafeInteger(n)) return typeError(e, path, "long");
  return n;
}

const DECIMAL = /^[+-]?(\d+)(?:\.(\d+))?$/;

export function decimal(
  value: unknown,
  path: string,
  required: boolean,
  precision: number,
  scale: number,
  e: Errors,
): number | undefined {
  const t = text(value);
  if (t === undefined) return absent(e, path, required);
  const m = t === BAD ? null : DECIMAL.exec(t);
  if (m === null) return typeError(e, path, "decimal");
  const intDigits = m[1]!.replace(/^0+(?=\d)/, "").length;
  const fraction = (m[2] ?? "").replace(/0+$/, "").length;
  if (intDigits > precision - scale || fraction > scale) {
    report(e, "type", path, {
      type: `Decimal(${precision},${scale})`,
      typeEn: `Decimal(${precision},${scale}) (at most ${precision - scale} integer and ${scale} fraction digits)`,
    });
    return undefined;
  }
  return Number(t);
}

export function oneOf(value: number | string, allowed: ReadonlySet<number | string>, path: string, e: Errors): boolean {
  if (allowed.has(value)) return true;
  return report(e, "enum", path, { allowed: [...allowed].join(", ") });
}

export type Format = "date" | "time" | "datetime" | "timeRange" | "timeRangeCompact";

function isDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days =
    m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
  return d <= days;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2}) ([01]\d|2[0-3]):([0-5]\d):([0-5]\d)$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const TIME_RANGE = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;
const TIME_RANGE_COMPACT = /^([01]\d|2[0-3])[0-5]\d-([01]\d|2[0-3])[0-5]\d$/;

export function matchesFormat(value: string, format: Format): boolean {
  switch (format) {
    case "date": {
      const m = DATE.exec(value);
      return m !== null && isDate(+m[1]!, +m[2]!, +m[3]!);
    }
    case "datetime": {
      const m = DATETIME.exec(value);
      return m !== null && isDate(+m[1]!, +m[2]!, +m[3]!);
    }
    case "time":
      return TIME.test(value);
    case "timeRange":
      return TIME_RANGE.test(value);
    case "timeRangeCompact":
      return TIME_RANGE_COMPACT.test(value);
  }
}

export function format(value: string, kind: Format, path: string, e: Errors): boolean {
  return matchesFormat(value, kind) || report(e, "format", path, { format: FORMAT_NAMES[kind] });
}

function isObj(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A list node: repeated element in XML (one occurrence parses as one object), array in JSON. */
export function list(value: unknown, path: string, required: boolean, e: Errors): Obj[] | undefined {
  if (value === undefined || value === null || value === "") return absent(e, path, required);
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0) return absent(e, path, required);
  let ok = true;
  items.forEach((item, i) => {
    // <user></user> parses as "": an empty entry, which has no required children present either.
    if (item === "" || item === null) items[i] = {};
    else if (!isObj(item)) ok = typeError(e, `${path}[${i}]`, "object") ?? false;
  });
  return ok ? (items as Obj[]) : undefined;
}

export function root(value: unknown, path: string, e: Errors): Obj | undefined {
  if (value === "" || value === null || value === undefined) return {};
  return isObj(value) ? value : typeError(e, path, "object");
}

export function done<T>(e: Errors, value: Obj): Result<T> {
  return e.length === 0 ? { ok: true, value: value as T } : { ok: false, errors: e };
}
