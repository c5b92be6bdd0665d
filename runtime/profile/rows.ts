// Row handling for compiled profiles: the HIS's lists as rows, row filters, flat rows grouped into the
// standard's nested lists (doctor → date → noon), and local paging.
import { text } from "./values.js";

export type Row = Readonly<Record<string, unknown>>;

/** A HIS list as rows: an array (its objects), one object (XML gives one <RECORD> as an object), or nothing. */
export function rows(v: unknown): Row[] {
  if (Array.isArray(v)) return v.filter((x): x is Row => typeof x === "object" && x !== null && !Array.isArray(x));
  if (typeof v === "object" && v !== null) return [v as Row];
  return [];
}

/** Rows with the same key, in the order each key is first seen; rows without a key each stand alone. */
export function group(list: readonly Row[], key: (r: Row) => string | undefined): Row[][] {
  const groups = new Map<string, Row[]>();
  const out: Row[][] = [];
  for (const r of list) {
    const k = key(r);
    if (k === undefined) {
      out.push([r]);
      continue;
    }
    const g = groups.get(k);
    if (g) g.push(r);
    else {
      const fresh = [r];
      groups.set(k, fresh);
      out.push(fresh);
    }
  }
  return out;
}

/** The text key of several columns (groupBy: [doctor_id, visit_date]). */
export function key(...parts: unknown[]): string | undefined {
  let out = "";
  for (let i = 0; i < parts.length; i++) {
    const t = text(parts[i]);
    if (t === undefined) return undefined;
    out += i === 0 ? t : `\u0000${t}`;
  }
  return out;
}

/** Numeric range predicate of a success test or a row filter (STATE ≤ 0 is an error: range min 1). */
export function within(v: unknown, min: number | undefined, max: number | undefined): boolean {
  const t = text(v);
  if (t === undefined || !/^[+-]?\d+(\.\d+)?$/.test(t)) return false;
  const n = Number(t);
  return (min === undefined || n >= min) && (max === undefined || n <= max);
}

/** One page of a list the HIS answered whole (currentPage from 1). */
export function page<T>(items: readonly T[], currentPage: unknown, pageSize: unknown): T[] {
  const p = Number(currentPage);
  const size = Number(pageSize);
  if (!Number.isInteger(p) || !Number.isInteger(size) || p < 1 || size < 1) return items.slice();
  return items.slice((p - 1) * size, p * size);
}

/** The HIS's offset for an offset/limit API. */
export const offsetOf = (currentPage: number, pageSize: number): number => (Math.max(1, currentPage) - 1) * pageSize;
