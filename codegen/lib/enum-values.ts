import type { Dictionary, EnumValue, Field } from "./model.js";

/** Every value a field accepts: its dictionary's or inline values, plus extraValues; undefined when unrestricted. */
export function allowedValues(f: Field, dictionaries: Map<string, Dictionary>): EnumValue[] | undefined {
  const base = f.dictionary ? dictionaries.get(f.dictionary)!.values : f.values;
  if (!base) return undefined;
  const all = [...base, ...(f.extraValues ?? [])];
  // A String field drawing from a numeric dictionary (country String(16)) compares by text.
  return f.type === "String" ? all.map((v) => ({ value: String(v.value), label: v.label })) : all;
}
