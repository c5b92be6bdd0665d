// The spec model, as read from spec/*.yaml after schema validation. See spec/README.md.

export type Direction = "platformToHospital" | "hospitalToPlatform";
export type ScalarType = "String" | "Int" | "Long" | "Decimal";
export type FieldType = ScalarType | "list";
export type { Format } from "../../runtime/formats.js";
import type { Format } from "../../runtime/formats.js";

export interface EnumValue {
  value: number | string;
  label: string;
}

export interface Field {
  name: string;
  type: FieldType;
  maxLength?: number;
  precision?: number;
  scale?: number;
  required: boolean;
  description: string;
  dictionary?: string;
  values?: EnumValue[];
  extraValues?: EnumValue[];
  format?: Format;
  unit?: string;
  /** Int/Long/Decimal: the smallest value allowed; null = no lower bound (a money field that may be negative). */
  minimum?: number | null;
  /** A statement table in text; the gateway also offers it parsed as `<name>Rows`. */
  csv?: boolean;
  fields?: Field[];
}

export interface Payload {
  fields: Field[];
}

export type Rule =
  | { kind: "requiredWhen"; field: string; when: { field: string; in: (number | string)[] }; description: string }
  | { kind: "atLeastOne"; fields: string[]; description: string }
  | { kind: "note"; description: string };

export interface Erratum {
  id: string;
  where: string;
  seed: string;
  decision: string;
  why: string;
}

export interface ExampleRef {
  file: string;
  errors: string[];
}

export interface ResultCode {
  code: string;
  message: string;
  messageEn?: string;
  /**
   * final: a definite answer, kept and replayed for a once-only request and the end of a notification's delivery.
   * transient: the same request may be answered otherwise later; never kept, notifications retry it.
   */
  outcome: "final" | "transient";
  why: string;
}

export type SideEffects = "none" | "once" | "notify" | "write";

export interface Idempotency {
  /** once: the first answer is kept and replayed; notify: stored, acknowledged, then delivered to the HIS. */
  mode: "once" | "notify";
  key: string[];
  why: string;
  /**
   * What makes two requests with the same key different events (REPEAT_TRANSACTION) rather than one sent again:
   * "request" = all of it, or only these top-level request fields (a resent notification carries a new notifyTime).
   */
  fingerprint: { fields: "request" | string[]; why: string };
}

export interface Service {
  name: string;
  wireName: string;
  aliases: string[];
  direction: Direction;
  section: string;
  title: string;
  titleEn: string;
  description: string;
  request: Payload;
  response: Payload | null;
  rules: Rule[];
  resultCodes: ResultCode[];
  examples?: { request?: ExampleRef; response?: ExampleRef };
  errata: Erratum[];
  idempotency?: Idempotency;
  /** What a call changes: none (a read), once / notify (with idempotency of that mode), write (no usable key). */
  sideEffects: SideEffects;
  /** file the service was read from, for error messages */
  file: string;
}

export interface Dictionary {
  name: string;
  title: string;
  titleEn: string;
  valueType: "Int" | "String";
  description?: string;
  values: EnumValue[];
}

export interface EnvelopeParam {
  name: string;
  type: "String";
  maxLength?: number;
  required: boolean;
  signed: boolean;
  description: string;
  values?: EnumValue[];
}

export interface Spec {
  services: Service[];
  dictionaries: Dictionary[];
  resultCodes: ResultCode[];
  envelope: { request: EnvelopeParam[]; response: EnvelopeParam[] };
  errata: Erratum[];
  /** spec/trail.yaml: the payload fields the message trail keeps. */
  trail: { businessIds: { name: string; description: string }[] };
}
