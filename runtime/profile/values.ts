// Scalar conversions the compiled profiles (generated/profiles/*.ts) call: text, "no value" markers, value maps,
// 元 ↔ 分 in exact decimal arithmetic, date and time patterns. Pure functions, no eval, no Workers API.
//
// A value that cannot be converted is not dropped and not guessed: it becomes UNMAPPED (or stays as it came),
// so the standard's generated validator, which runs after the mapping, rejects it as ILLEGAL_RESPONSE naming
// the standard's field.

/** What a conversion gives for a value it cannot convert: a non-scalar, which every validator rejects. */
export const UNMAPPED: Readonly<{ unmapped: true }> = Object.freeze({ unmapped: true });
export type Scalar = string | number | typeof UNMAPPED;

/** Own property of an object, or undefined (never an inherited one such as __proto__ or constructor). */
export function get(o: unknown, key: string | number): unknown {
  if (typeof o !== "object" || o === null) return undefined;
  return Object.hasOwn(o, key) ? (o as Record<string | number, unknown>)[key] : undefined;
}

/** Wire text of a scalar, trimmed; undefined for absent, empty, objects and lists. */
export function text(v: unknown): string | undefined {
  if (typeof v === "string") {
    const t = v.trim();
    return t === "" ? undefined : t;
  }
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : undefined;
  if (typeof v === "boolean") return v ? "true" : "false";
  return undefined;
}

/** A scalar as it came (text), UNMAPPED when the HIS put an object or list where a scalar belongs. */
export function scalar(v: unknown): Scalar | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "object") return Array.isArray(v) && v.length === 0 ? undefined : UNMAPPED;
  return text(v);
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

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/**
 * Moves the decimal point of a decimal's text by `places` (2: 元 → 分, -2: 分 → 元), exactly, in text. The result
 * has no superfluous zeros except `minFraction` fraction digits (12.5 元 → "1250", 1250 分 → "12.50").
 */
export function shiftDecimal(v: Scalar | undefined, places: number, minFraction = 0): Scalar | undefined {
  if (v === undefined || v === UNMAPPED) return v;
  const m = DECIMAL.exec(String(v));
  if (!m) return UNMAPPED;
  const sign = m[1] === "-" ? "-" : "";
  let digits = m[2]! + (m[3] ?? "");
  let point = m[2]!.length + places;
  if (point < 0) {
    digits = "0".repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits += "0".repeat(point - digits.length);
  let int = digits.slice(0, point).replace(/^0+(?=\d)/, "") || "0";
  let frac = digits.slice(point).replace(/0+$/, "");
  if (frac.length < minFraction) frac = frac.padEnd(minFraction, "0");
  if (int === "") int = "0";
  const out = frac ? `${int}.${frac}` : int;
  return sign && /[1-9]/.test(out) ? `-${out}` : out;
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
