// Scalar conversions the compiled profiles (generated/profiles/*.ts) call: text, "no value" markers, value maps,
// 元 ↔ 分 in exact decimal arithmetic, date and time patterns. Pure functions, no eval, no Workers API.
//
// A value that cannot be converted is not dropped and not guessed: it becomes UNMAPPED (or stays as it came),
// so the standard's generated validator, which runs after the mapping, rejects it as ILLEGAL_RESPONSE naming
// the standard's field.

/** What a conversion gives for a value it cannot convert: a non-scalar, which every validator rejects. */
export const UNMAPPED: Readonly<{ unmapped: true }> = Object.freeze({ unmapped: true });
export type Scalar = string | number | typeof UNMAPPED;

/**
 * A property of an object, or undefined. Only own properties can be data: the compiler refuses __proto__,
 * constructor and prototype in paths, and everything else an object inherits is a function, dropped here.
 */
export function get(o: unknown, key: string | number): unknown {
  if (typeof o !== "object" || o === null) return undefined;
  const x = (o as Record<string | number, unknown>)[key];
  return typeof x === "function" ? undefined : x;
}

const NOTHING: Readonly<Record<string | number, unknown>> = Object.freeze(
  Object.create(null) as Record<string, unknown>,
);

/** An object (or list) to read a property of; anything else reads as an object without properties. */
export const obj = (o: unknown): Readonly<Record<string | number, unknown>> =>
  typeof o === "object" && o !== null ? (o as Record<string | number, unknown>) : NOTHING;

/** Wire text of a scalar, trimmed; undefined for absent, empty, objects and lists. */
export function text(v: unknown): string | undefined {
  if (typeof v === "string") {
    const n = v.length;
    if (n === 0) return undefined;
    // Trim only when an end is whitespace: most values have none, and trim() would scan them anyway.
    if (v.charCodeAt(0) > 0x20 && v.charCodeAt(n - 1) > 0x20) return v;
    const t = v.trim();
    return t === "" ? undefined : t;
  }
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : undefined;
  if (typeof v === "boolean") return v ? "true" : "false";
  return undefined;
}

/** A scalar as it came (text), UNMAPPED when the HIS put an object or list where a scalar belongs. */
export function scalar(v: unknown): Scalar | undefined {
  if (v === undefined || v === null || typeof v === "function") return undefined;
  if (typeof v === "object") return Array.isArray(v) && v.length === 0 ? undefined : UNMAPPED;
  return text(v);
}

/** scalar(), with the HIS's "no value" markers read as absent. */
export function scalarOr(v: unknown, markers: ReadonlySet<string>): Scalar | undefined {
  // The common case first: text without surrounding blanks.
  if (typeof v === "string") {
    const n = v.length;
    if (n > 0 && v.charCodeAt(0) > 0x20 && v.charCodeAt(n - 1) > 0x20) return markers.has(v) ? undefined : v;
  }
  if (typeof v === "function") return undefined;
  const s = scalar(v);
  return typeof s === "string" && markers.has(s) ? undefined : s;
}

/** The "no value" markers of a HIS ("-1", "0000", "") → absent. */
export function orNone(v: Scalar | undefined, markers: ReadonlySet<string>): Scalar | undefined {
  return typeof v === "string" && markers.has(v) ? undefined : v;
}

/** A value map (M → 1, 上午 → 1); an unknown value is UNMAPPED rather than passed on as if it were valid. */
export function lookup(
  v: Scalar | undefined,
  table: ReadonlyMap<string, string | number>,
  otherwise?: string | number,
): Scalar | undefined {
  if (v === undefined || v === UNMAPPED) return v;
  const hit = table.get(String(v));
  return hit !== undefined ? hit : otherwise !== undefined ? otherwise : UNMAPPED;
}

const DECIMAL = /^[+-]?\d+(?:\.\d+)?$/;

/**
 * Moves the decimal point of a decimal's text by `places` (2: 元 → 分, -2: 分 → 元), exactly, in text. The result
 * has no superfluous zeros except `minFraction` fraction digits (12.5 元 → "1250", 1250 分 → "12.50").
 */
export function shiftDecimal(v: Scalar | undefined, places: number, minFraction = 0): Scalar | undefined {
  if (v === undefined || v === UNMAPPED) return v;
  const t = typeof v === "string" ? v : String(v);
  // One pass over the text: sign, integer digits, point, fraction digits; anything else is not a decimal.
  let i = 0;
  let sign = "";
  if (t.charCodeAt(0) === 0x2d || t.charCodeAt(0) === 0x2b) {
    sign = t.charCodeAt(0) === 0x2d ? "-" : "";
    i = 1;
  }
  const intStart = i;
  while (i < t.length && t.charCodeAt(i) >= 0x30 && t.charCodeAt(i) <= 0x39) i++;
  const intEnd = i;
  if (intEnd === intStart) return UNMAPPED;
  let fracStart = intEnd;
  if (i < t.length) {
    if (t.charCodeAt(i) !== 0x2e || i + 1 === t.length) return UNMAPPED;
    fracStart = ++i;
    while (i < t.length && t.charCodeAt(i) >= 0x30 && t.charCodeAt(i) <= 0x39) i++;
    if (i !== t.length) return UNMAPPED;
  }
  let digits = t.slice(intStart, intEnd) + t.slice(fracStart);
  let point = intEnd - intStart + places;
  if (point < 0) {
    digits = "0".repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits += "0".repeat(point - digits.length);
  let int = digits.slice(0, point);
  let z = 0;
  while (z < int.length - 1 && int.charCodeAt(z) === 0x30) z++;
  if (z) int = int.slice(z);
  if (int === "") int = "0";
  let end = digits.length;
  while (end > point && digits.charCodeAt(end - 1) === 0x30) end--;
  let frac = digits.slice(point, end);
  if (frac.length < minFraction) frac = frac.padEnd(minFraction, "0");
  const out = frac ? `${int}.${frac}` : int;
  return sign && (int !== "0" || /[1-9]/.test(frac)) ? `-${out}` : out;
}

/** 元 (decimal text) → 分. */
export const yuanToFen = (v: Scalar | undefined): Scalar | undefined => shiftDecimal(v, 2);
/** 分 → 元 with two fraction digits ("12.50"). */
export const fenToYuan = (v: Scalar | undefined): Scalar | undefined => shiftDecimal(v, -2, 2);
/** Decimal text as a JSON number, for HIS APIs that want numbers (exact: the text has at most 15 digits here). */
export function num(v: Scalar | undefined): Scalar | undefined {
  if (typeof v !== "string") return v;
  const n = Number(v);
  return DECIMAL.test(v) && Number.isFinite(n) ? n : UNMAPPED;
}
