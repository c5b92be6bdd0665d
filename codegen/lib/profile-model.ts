// A HIS profile as read from profiles/<name>.yaml after schema validation. See profiles/README.md.

export type ScalarValue = string | number;

export interface Predicate {
  path: string;
  equals?: ScalarValue;
  notEquals?: ScalarValue;
  in?: ScalarValue[];
  range?: { min?: number; max?: number };
}

export interface XmlBody {
  root?: string;
  cdata?: boolean;
  declaration?: boolean;
}

export interface SoapCall {
  namespace?: string;
  operation?: string;
  action?: string;
  args?: Record<string, ScalarValue>;
  payloadArg?: string;
  result?: string;
}

export type BodyKind = "json" | "form" | "xml" | "soap" | "query" | "none";

export interface Transport {
  method?: "GET" | "POST" | "PUT" | "DELETE";
  path?: string;
  body?: BodyKind;
  headers?: Record<string, string>;
  xml?: XmlBody;
  soap?: SoapCall;
}

export interface Answer {
  format?: "json" | "xml" | "soap";
  resultFormat?: "json" | "xml";
  success?: Predicate;
  empty?: Predicate;
  code?: string;
  message?: string;
  data?: string;
  dataEncoding?: "json" | "xml" | "none";
}

export interface ValueRule {
  from?: string;
  const?: ScalarValue;
  default?: ScalarValue;
  noValue?: string[];
  map?: Record<string, ScalarValue>;
  otherwise?: ScalarValue;
  money?: "yuan" | "yuanNumber" | "fen";
  format?: string;
  weekday?: string;
  number?: boolean;
}

export interface ListRule {
  each?: string;
  groupBy?: string | string[];
  filter?: Predicate | Predicate[];
  fields: Mapping;
}

export type Rule = string | ValueRule | ListRule;
export type Mapping = Record<string, Rule>;

export interface ServiceProfile {
  transport?: Transport;
  answer?: Answer;
  codes?: Record<string, string>;
  paging?: { mode: "pass" | "local" | "offset"; offset?: string; limit?: string };
  request?: Mapping;
  query?: Mapping;
  response?: Mapping;
  hook?: string;
}

export interface Profile {
  name: string;
  description?: string;
  timezone?: string;
  noValue?: string[];
  transport?: Transport;
  answer?: Answer;
  services: Record<string, ServiceProfile>;
}

export const isList = (r: Rule): r is ListRule => typeof r === "object" && "fields" in r;
