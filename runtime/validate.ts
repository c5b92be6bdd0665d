// Small helpers that the generated validators (generated/validators.ts) call, kept in one place instead of
// inlined into every validator, as ajv does with its runtime. Everything here must stay free of eval: Workers
// refuse code generation while handling a request.
import { FORMATS, type Format } from "./formats.js";

export type Keyword =
  "required" | "type" | "maxLength" | "minimum" | "character" | "enum" | "format" | "requiredWhen" | "atLeastOne";

export interface ValidationError {
  /** Field path in the business payload, e.g. `request.user[0].id`. */
  readonly path: string;
  readonly keyword: Keyword;
  /** Chinese reason, for the platform's resultMessage. */
  readonly message: string;
  /** English reason, for logs and integrators. */
  readonly messageEn: string;
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

// Message templates, one per keyword; `path` is the field path, the rest are the keyword's parameters.
// Built only when a field fails: valid input never pays for them.
type Params = Record<string, string | ReadonlySet<number | string>>;
const TEMPLATES: Record<Keyword, (path: string, x: Record<string, string>) => [zh: string, en: string]> = {
  required: (path) => [`${path}不能为空`, `${path} is required`],
  type: (path, x) => [`${path}应为${x.type}`, `${path} must be ${x.typeEn}`],
  maxLength: (path, x) => [`${path}长度不能超过${x.limit}`, `${path} must be at most ${x.limit} characters`],
  minimum: (path, x) => [`${path}不能小于${x.limit}`, `${path} must be at least ${x.limit}`],
  character: (path) => [`${path}含有XML不能承载的控制字符`, `${path} holds a control character XML 1.0 cannot carry`],
  enum: (path, x) => [`${path}取值不在允许范围内：${x.allowed}`, `${path} must be one of: ${x.allowed}`],
  format: (path, x) => [`${path}格式应为${x.format}`, `${path} must match ${x.format}`],
  requiredWhen: (path, x) => [`${path}在${x.when}时必填`, `${path} is required when ${x.when}`],
  atLeastOne: (_path, x) => [`${x.fields}至少填写一项`, `at least one of ${x.fields} is required`],
};

/** A failed check; its messages are rendered from the template on first read (most callers only need paths). */
class FieldError implements ValidationError {
  private rendered: [string, string] | undefined;
  constructor(
    readonly path: string,
    readonly keyword: Keyword,
    private readonly params: Params,
  ) {}
  private render(): [string, string] {
    if (!this.rendered) {
      const x: Record<string, string> = {};
      for (const [k, v] of Object.entries(this.params)) x[k] = typeof v === "string" ? v : [...v].join(", ");
      this.rendered = TEMPLATES[this.keyword](this.path, x);
    }
    return this.rendered;
  }
  get message(): string {
    return this.render()[0];
  }
  get messageEn(): string {
    return this.render()[1];
  }
  toJSON(): ValidationError {
    return { path: this.path, keyword: this.keyword, message: this.message, messageEn: this.messageEn };
  }
}

export function report(e: Errors, keyword: Keyword, path: string, params: Params = {}): false {
  e.push(new FieldError(path, keyword, params));
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
    const n = value.length;
    if (n === 0) return undefined;
    // Trim only when an end is whitespace: most wire values have none, and trim() would scan them anyway.
    if (value.charCodeAt(0) > 0x20 && value.charCodeAt(n - 1) > 0x20) return value;
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

function absent(e: Errors, p: string, name: string, required: boolean): undefined {
  if (required) report(e, "required", `${p}.${name}`);
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

/**
 * Characters XML 1.0 cannot carry (C0 controls other than tab, LF and CR; U+FFFE and U+FFFF). A field holding one
 * could not be written into an XML payload or envelope, so it is refused as invalid whatever the format.
 */
export const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

// The scalar readers take the parent path and the field name separately: the path string is only built when
// the field fails, so valid payloads allocate no paths at all.

export function str(
  value: unknown,
  p: string,
  name: string,
  required: boolean,
  maxLength: number | undefined,
  e: Errors,
): string | undefined {
  const t = text(value);
  if (t === undefined) return absent(e, p, name, required);
  if (t === BAD) return typeError(e, `${p}.${name}`, "string");
  // String(n) counts characters, not bytes: the platform's .NET and Java peers measure string length that way.
  if (maxLength !== undefined && t.length > maxLength && codePoints(t) > maxLength) {
    report(e, "maxLength", `${p}.${name}`, { limit: String(maxLength) });
    return undefined;
  }
  if (NOT_XML_CHAR.test(t)) {
    report(e, "character", `${p}.${name}`);
    return undefined;
  }
  return t;
}

const INT = /^[+-]?\d{1,19}$/;

export function int(value: unknown, p: string, name: string, required: boolean, e: Errors): number | undefined {
  if (typeof value === "number" && Number.isInteger(value) && value <= 2147483647 && value >= -2147483648) return value;
  const t = text(value);
  if (t === undefined) return absent(e, p, name, required);
  if (t === BAD || !INT.test(t)) return typeError(e, `${p}.${name}`, "int");
  const n = Number(t);
  // Int is the platform's 32-bit int (Java int, .NET Int32).
  if (n > 2147483647 || n < -2147483648) return typeError(e, `${p}.${name}`, "int");
  return n;
}

export function long(value: unknown, p: string, name: string, required: boolean, e: Errors): number | undefined {
  if (typeof value === "number" && Number.isSafeInteger(value)) return value;
  const t = text(value);
  if (t === undefined) return absent(e, p, name, required);
  if (t === BAD || !INT.test(t)) return typeError(e, `${p}.${name}`, "long");
  const n = Number(t);
  // Beyond 2^53 a JSON number would silently lose digits on the HIS side.
  if (!Number.isSafeInteger(n)) return typeError(e, `${p}.${name}`, "long");
  return n;
}

/** Digits before and after the point of a plain decimal ("-12.50"), leading/trailing zeros not counted; -1 if not one. */
function decimalDigits(t: string, scaleOut: { fraction: number }): number {
  let i = t.charCodeAt(0) === 0x2d || t.charCodeAt(0) === 0x2b ? 1 : 0;
  const start = i;
  let firstNonZero = -1;
  while (i < t.length) {
    const c = t.charCodeAt(i);
    if (c < 0x30 || c > 0x39) break;
    if (firstNonZero < 0 && c !== 0x30) firstNonZero = i;
    i++;
  }
  const intEnd = i;
  if (intEnd === start) return -1;
  let lastNonZero = 0;
  if (i < t.length) {
    if (t.charCodeAt(i) !== 0x2e || i + 1 === t.length) return -1;
    for (i++; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c < 0x30 || c > 0x39) return -1;
      if (c !== 0x30) lastNonZero = i - intEnd;
    }
  }
  scaleOut.fraction = lastNonZero;
  return firstNonZero < 0 ? 0 : intEnd - firstNonZero;
}

const digits = { fraction: 0 };

export function decimal(
  value: unknown,
  p: string,
  name: string,
  required: boolean,
  precision: number,
  scale: number,
  e: Errors,
): number | undefined {
  if (
    typeof value === "number" &&
    Number.isFinite(value) &&
    Number.isInteger(value * 10 ** scale) &&
    Math.abs(value) < 10 ** (precision - scale)
  ) {
    return value;
  }
  const t = text(value);
  if (t === undefined) return absent(e, p, name, required);
  const intDigits = t === BAD ? -1 : decimalDigits(t, digits);
  if (intDigits < 0) return typeError(e, `${p}.${name}`, "decimal");
  if (intDigits > precision - scale || digits.fraction > scale) {
    report(e, "type", `${p}.${name}`, {
      type: `Decimal(${precision},${scale})`,
      typeEn: `Decimal(${precision},${scale}) (at most ${precision - scale} integer and ${scale} fraction digits)`,
    });
    return undefined;
  }
  return Number(t);
}

/** The spec's lower bound (paging fields ≥ 1, amounts ≥ 0): a page size of 0 reads as "no limit" to many HIS. */
export function atLeast(value: number, minimum: number, p: string, name: string, e: Errors): boolean {
  return value >= minimum || report(e, "minimum", `${p}.${name}`, { limit: String(minimum) });
}

export function oneOf(
  value: number | string,
  allowed: ReadonlySet<number | string>,
  p: string,
  name: string,
  e: Errors,
): boolean {
  if (allowed.has(value)) return true;
  return report(e, "enum", `${p}.${name}`, { allowed });
}

export type { Format } from "./formats.js";

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= DAYS[m - 1]! + (leap ? 1 : 0);
}

// Hand-rolled readers instead of regexes with captures: dates are on every order row, and these allocate nothing.
const digit = (s: string, i: number): number => {
  const c = s.charCodeAt(i) - 0x30;
  return c >= 0 && c <= 9 ? c : -100;
};
const two = (s: string, i: number): number => digit(s, i) * 10 + digit(s, i + 1);

/** HH:MI at i (HH24), or HHMI when compact. */
function isTime(s: string, i: number, compact: boolean): boolean {
  const h = two(s, i);
  const m = two(s, compact ? i + 2 : i + 3);
  return h >= 0 && h <= 23 && m >= 0 && m <= 59 && (compact || s.charCodeAt(i + 2) === 0x3a);
}

function isDateAt(s: string): boolean {
  if (s.charCodeAt(4) !== 0x2d || s.charCodeAt(7) !== 0x2d) return false;
  const y = two(s, 0) * 100 + two(s, 2);
  return y >= 0 && isDate(y, two(s, 5), two(s, 8));
}

export function matchesFormat(value: string, format: Format): boolean {
  switch (format) {
    case "date":
      return value.length === 10 && isDateAt(value);
    case "datetime": {
      if (value.length !== 19 || value.charCodeAt(10) !== 0x20 || !isDateAt(value) || !isTime(value, 11, false))
        return false;
      const sec = two(value, 17);
      return value.charCodeAt(16) === 0x3a && sec >= 0 && sec <= 59;
    }
    case "time":
      return value.length === 5 && isTime(value, 0, false);
    case "timeRange":
      return value.length === 11 && value.charCodeAt(5) === 0x2d && isTime(value, 0, false) && isTime(value, 6, false);
    case "timeRangeCompact":
      return value.length === 9 && value.charCodeAt(4) === 0x2d && isTime(value, 0, true) && isTime(value, 5, true);
  }
}

export function format(value: string, kind: Format, p: string, name: string, e: Errors): boolean {
  return matchesFormat(value, kind) || report(e, "format", `${p}.${name}`, { format: FORMATS[kind].name });
}

function isObj(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A list node: repeated element in XML (one occurrence parses as one object), array in JSON. */
export function list(value: unknown, p: string, name: string, required: boolean, e: Errors): Obj[] | undefined {
  if (value === undefined || value === null || value === "") return absent(e, p, name, required);
  // An empty array is a list of zero rows (an empty page), not a missing list.
  const items: unknown[] = Array.isArray(value) ? value : [value];
  let out: Obj[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (isObj(item)) continue;
    // <user></user> parses as "": an empty entry, which has no required children present either.
    if (item === "" || item === null) (out ??= items.slice() as Obj[])[i] = {};
    else {
      typeError(e, `${p}.${name}[${i}]`, "object");
      return undefined;
    }
  }
  return out ?? (items as Obj[]);
}

export function root(value: unknown, path: string, e: Errors): Obj | undefined {
  if (value === "" || value === null || value === undefined) return {};
  return isObj(value) ? value : typeError(e, path, "object");
}

export function done<T>(e: Errors, value: Obj): Result<T> {
  return e.length === 0 ? { ok: true, value: value as T } : { ok: false, errors: e };
}
