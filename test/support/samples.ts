// Deterministic sample payloads built from the spec's field trees, so every field of every service is exercised.
// Tests may read spec/ (only the worker must not); in workerd it arrives through Vite's raw imports.
import { parse } from "yaml";
import type { Wire } from "./reference.js";

interface SpecField {
  name: string;
  type: "String" | "Int" | "Long" | "Decimal" | "list";
  maxLength?: number;
  scale?: number;
  required: boolean;
  dictionary?: string;
  values?: { value: number | string }[];
  extraValues?: { value: number | string }[];
  format?: string;
  fields?: SpecField[];
}
interface SpecService {
  name: string;
  wireName: string;
  aliases?: string[];
  direction: "platformToHospital" | "hospitalToPlatform";
  request: { fields: SpecField[] };
  response: { fields: SpecField[] } | null;
}

const serviceFiles = import.meta.glob("../../spec/services/*.yaml", {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;
const dictionaryFile = import.meta.glob("../../spec/dictionaries.yaml", {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

export const specServices: SpecService[] = Object.values(serviceFiles).map((t) => parse(t) as SpecService);
const dictionaries = new Map(
  (parse(Object.values(dictionaryFile)[0]!) as { name: string; values: { value: number | string }[] }[]).map((d) => [
    d.name,
    d.values,
  ]),
);

const FORMAT_SAMPLES: Record<string, string> = {
  date: "2017-02-08",
  time: "09:00",
  datetime: "2017-02-07 10:09:57",
  timeRange: "08:00-09:30",
  timeRangeCompact: "0800-0930",
};

function scalar(f: SpecField, index: number): string | number {
  const allowed = f.dictionary ? dictionaries.get(f.dictionary)! : f.values;
  if (allowed) {
    const v = allowed[index % allowed.length]!.value;
    return f.type === "String" ? String(v) : v;
  }
  if (f.format) return FORMAT_SAMPLES[f.format]!;
  if (f.type === "Int") return 7 + index;
  if (f.type === "Long") return 12345 + index;
  if (f.type === "Decimal") return f.scale ? 1050.5 + index : 1050 + index;
  // Chinese text, to check UTF-8 end to end; cut to the field's length.
  const text = `${f.name}值${index}`;
  return f.maxLength ? text.slice(0, f.maxLength) : text;
}

/** Every field present (optional ones too); lists of two items. Typed values, as the HIS sees them. */
export function typedSample(fields: SpecField[], index = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    out[f.name] =
      f.type === "list" ? [typedSample(f.fields!, index), typedSample(f.fields!, index + 1)] : scalar(f, index);
  }
  return out;
}

/** The same values as wire text, as the platform sends them. */
export function toWireText(value: Record<string, unknown>): Wire {
  const out: Wire = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = Array.isArray(v) ? v.map((item) => toWireText(item as Record<string, unknown>)) : String(v);
  }
  return out;
}

export function specService(name: string): SpecService {
  const s = specServices.find((x) => x.name === name);
  if (!s) throw new Error(`no spec for ${name}`);
  return s;
}
