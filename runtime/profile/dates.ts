// Date and time patterns of HIS dialects ↔ the standard's formats. A pattern is compiled once, when the compiled
// profile's module loads, into fixed fields; converting a value is then a walk over that list, no regex built
// per value and nothing evaluated.
import { UNMAPPED, type Scalar } from "./values.js";

type Unit = "y" | "M" | "d" | "H" | "m" | "s" | "S";
const WIDTH: Record<Unit, number> = { y: 4, M: 2, d: 2, H: 2, m: 2, s: 2, S: 0 };
const LETTERS: Record<string, Unit> = { y: "y", M: "M", d: "d", H: "H", m: "m", s: "s", S: "S" };

/** A compiled pattern: yyyy MM dd HH mm ss S (fraction, any number of digits) and literal text; or Unix time. */
export type Pattern =
  | {
      readonly kind: "fields";
      readonly parts: readonly (Unit | { readonly literal: string })[];
      readonly units: string;
    }
  | { readonly kind: "unix"; readonly scale: 1 | 1000 };

/** Pattern letters a profile may use, for the compiler's checks. */
export function patternUnits(source: string): string | undefined {
  if (source === "unix" || source === "unixMs") return "yMdHms";
  const p = pattern(source);
  return p.kind === "fields" ? p.units : undefined;
}

export function pattern(source: string): Pattern {
  if (source === "unix") return { kind: "unix", scale: 1 };
  if (source === "unixMs") return { kind: "unix", scale: 1000 };
  const parts: (Unit | { literal: string })[] = [];
  let units = "";
  for (let i = 0; i < source.length;) {
    const unit = LETTERS[source[i]!];
    if (unit) {
      let n = 1;
      while (source[i + n] === source[i]) n++;
      if (unit !== "S" && n !== WIDTH[unit])
        throw new Error(`"${source[i]!.repeat(n)}" must be ${WIDTH[unit]} letters`);
      if (units.includes(unit)) throw new Error(`"${source[i]}" appears twice`);
      parts.push(unit);
      units += unit;
      i += n;
    } else {
      const last = parts[parts.length - 1];
      if (last !== undefined && typeof last === "object")
        parts[parts.length - 1] = { literal: last.literal + source[i] };
      else parts.push({ literal: source[i]! });
      i++;
    }
  }
  return { kind: "fields", parts, units };
}

interface Moment {
  y: number;
  M: number;
  d: number;
  H: number;
  m: number;
  s: number;
}

const digits = (t: string, from: number, to: number): number => {
  if (to > t.length) return -1;
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = t.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
};

function read(t: string, p: Pattern, offsetMinutes: number): Moment | undefined {
  if (p.kind === "unix") {
    if (!/^\d{1,13}$/.test(t)) return undefined;
    const ms = (Number(t) / p.scale) * 1000 + offsetMinutes * 60_000;
    const dt = new Date(ms);
    return {
      y: dt.getUTCFullYear(),
      M: dt.getUTCMonth() + 1,
      d: dt.getUTCDate(),
      H: dt.getUTCHours(),
      m: dt.getUTCMinutes(),
      s: dt.getUTCSeconds(),
    };
  }
  const out: Moment = { y: 0, M: 1, d: 1, H: 0, m: 0, s: 0 };
  let i = 0;
  for (const part of p.parts) {
    if (typeof part === "object") {
      if (!t.startsWith(part.literal, i)) return undefined;
      i += part.literal.length;
    } else if (part === "S") {
      const start = i;
      while (i < t.length && t.charCodeAt(i) >= 48 && t.charCodeAt(i) <= 57) i++;
      if (i === start) return undefined;
    } else {
      const n = digits(t, i, i + WIDTH[part]);
      if (n < 0) return undefined;
      out[part] = n;
      i += WIDTH[part];
    }
  }
  if (i !== t.length || out.M < 1 || out.M > 12 || out.d < 1 || out.d > 31 || out.H > 23 || out.m > 59 || out.s > 59)
    return undefined;
  return out;
}

const pad = (n: number, w: number): string => String(n).padStart(w, "0");

function write(v: Moment, p: Pattern, offsetMinutes: number): string {
  if (p.kind === "unix") {
    const ms = Date.UTC(v.y, v.M - 1, v.d, v.H, v.m, v.s) - offsetMinutes * 60_000;
    return String(p.scale === 1 ? Math.floor(ms / 1000) : ms);
  }
  let out = "";
  for (const part of p.parts) {
    if (typeof part === "object") out += part.literal;
    else if (part === "S") out += "0";
    else out += pad(v[part], WIDTH[part]);
  }
  return out;
}

/** Reads a value in one pattern and writes it in another (HH:mm:ss → HH:mm, yyyyMMdd → yyyy-MM-dd, unix → …). */
export function convertDate(
  v: Scalar | undefined,
  from: Pattern,
  to: Pattern,
  offsetMinutes: number,
): Scalar | undefined {
  if (v === undefined || v === UNMAPPED) return v;
  const m = read(String(v), from, offsetMinutes);
  return m ? write(m, to, offsetMinutes) : UNMAPPED;
}

const WEEKDAYS = ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"];

/** The standard's weekday text (星期五) of a date given in a pattern. */
export function weekday(v: Scalar | undefined, from: Pattern, offsetMinutes: number): Scalar | undefined {
  if (v === undefined || v === UNMAPPED) return v;
  const m = read(String(v), from, offsetMinutes);
  return m ? WEEKDAYS[new Date(Date.UTC(m.y, m.M - 1, m.d)).getUTCDay()]! : UNMAPPED;
}

/** A time range ("07:30:00-11:30:00") with both ends converted, joined by "-" as the standard writes it. */
export function convertRange(
  v: Scalar | undefined,
  from: Pattern,
  to: Pattern,
  offsetMinutes: number,
): Scalar | undefined {
  if (v === undefined || v === UNMAPPED) return v;
  const t = String(v);
  const dash = t.indexOf("-");
  if (dash < 0) return UNMAPPED;
  const a = convertDate(t.slice(0, dash), from, to, offsetMinutes);
  const b = convertDate(t.slice(dash + 1), from, to, offsetMinutes);
  return typeof a === "string" && typeof b === "string" ? `${a}-${b}` : UNMAPPED;
}

/**
 * A converter from one pattern to another, built once when the compiled profile loads. Between two fixed-width
 * patterns (all but Unix time and fractions) it checks the length and the literals and copies slices: no object
 * per value, no number formatting. Digits and ranges are left to the standard's validator, which checks every
 * date and time field the mapping fills (a request's value comes from a validated request already); only a
 * literal in the wrong place could turn garbage into a valid-looking value, so those are checked here.
 */
export function dateConverter(
  fromSource: string,
  toSource: string,
  offsetMinutes: number,
): (v: Scalar | undefined) => Scalar | undefined {
  const from = pattern(fromSource);
  const to = pattern(toSource);
  if (from.kind !== "fields" || to.kind !== "fields" || from.units.includes("S"))
    return (v) => convertDate(v, from, to, offsetMinutes);
  const at: Partial<Record<Unit, number>> = {};
  const litAt: number[] = [];
  const litCode: number[] = [];
  let length = 0;
  for (const part of from.parts) {
    if (typeof part === "object") {
      for (let k = 0; k < part.literal.length; k++) {
        litAt.push(length + k);
        litCode.push(part.literal.charCodeAt(k));
      }
      length += part.literal.length;
    } else {
      at[part] = length;
      length += WIDTH[part];
    }
  }
  if (fromSource === toSource)
    return (v) => {
      if (v === undefined || v === UNMAPPED) return v;
      const t = typeof v === "string" ? v : String(v);
      if (t.length !== length) return UNMAPPED;
      for (let k = 0; k < litAt.length; k++) if (t.charCodeAt(litAt[k]!) !== litCode[k]) return UNMAPPED;
      return t;
    };
  // What the target needs and the source lacks is zero (seconds, or a time of day for a date).
  const starts: number[] = [];
  const ends: number[] = [];
  const texts: string[] = [];
  for (const part of to.parts) {
    if (typeof part === "object") (starts.push(-1), ends.push(-1), texts.push(part.literal));
    else if (part !== "S" && at[part] !== undefined)
      (starts.push(at[part]!), ends.push(at[part]! + WIDTH[part]), texts.push(""));
    else (starts.push(-1), ends.push(-1), texts.push(part === "S" ? "0" : "0".repeat(WIDTH[part])));
  }
  return (v) => {
    if (v === undefined || v === UNMAPPED) return v;
    const t = typeof v === "string" ? v : String(v);
    if (t.length !== length) return UNMAPPED;
    for (let k = 0; k < litAt.length; k++) if (t.charCodeAt(litAt[k]!) !== litCode[k]) return UNMAPPED;
    let out = "";
    for (let k = 0; k < starts.length; k++) out += starts[k]! < 0 ? texts[k]! : t.slice(starts[k]!, ends[k]!);
    return out;
  };
}

/** A converter of time ranges ("07:30:00-11:30:00" → "07:30-11:30"): both ends through one dateConverter. */
export function rangeConverter(
  fromSource: string,
  toSource: string,
  offsetMinutes: number,
): (v: Scalar | undefined) => Scalar | undefined {
  const one = dateConverter(fromSource, toSource, offsetMinutes);
  return (v) => {
    if (v === undefined || v === UNMAPPED) return v;
    const t = String(v);
    const dash = t.indexOf("-");
    if (dash < 0) return UNMAPPED;
    const a = one(t.slice(0, dash));
    const b = one(t.slice(dash + 1));
    return typeof a === "string" && typeof b === "string" ? `${a}-${b}` : UNMAPPED;
  };
}
