import type { Dictionary, Field, Service } from "./model.js";

export const pascal = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

export type PayloadKind = "request" | "response";

/** Type name of a payload or of a list node's item: PayRequest, PayRequestUser, GetScheduleInfoResponseScheduleDateNoon. */
export const payloadTypeName = (service: Service, kind: PayloadKind, listPath: string[] = []): string =>
  service.name + pascal(kind) + listPath.map(pascal).join("");

export const dictionaryTypeName = (d: Dictionary): string => `${pascal(d.name)}Value`;
export const dictionaryConstName = (d: Dictionary): string => pascal(d.name);

export const validatorName = (service: Service, kind: PayloadKind): string => `validate${service.name}${pascal(kind)}`;

export function jsdocLines(f: Field): string[] {
  const lines = [f.description.trim()];
  const facts: string[] = [];
  if (f.type === "String") facts.push(f.maxLength ? `String(${f.maxLength})` : "String");
  else if (f.type === "Decimal") facts.push(`Decimal(${f.precision},${f.scale})`);
  else if (f.type !== "list") facts.push(f.type);
  if (f.required) facts.push("required");
  if (f.unit) facts.push(`unit: ${f.unit}`);
  if (f.dictionary) facts.push(`dictionary: ${f.dictionary}`);
  if (facts.length) lines.push(facts.join(", "));
  return lines.filter((l) => l.length > 0);
}
