// The shape of a compiled profile (generated/profiles/<name>.ts) and of the hooks beside a profile.
import type { Scalar } from "./values.js";

/** A standard payload as a mapping produces it: every field optional, scalars as wire text or numbers. The
 *  standard's generated validator then decides, naming the standard's field, whether it is the standard's. */
export type Mapped<T> = {
  [K in keyof T]?: NonNullable<T[K]> extends readonly (infer I)[] ? Mapped<I>[] : Scalar | undefined;
};

/** One request to the HIS, ready to send. */
export interface HisRequest {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path and query under the tenant's hisUrl. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** What the HIS's envelope says, read by the profile's answer predicates. */
export type Reading =
  | { kind: "success"; data: unknown; code: string | undefined; message: string | undefined }
  | { kind: "empty"; code: string | undefined; message: string | undefined }
  | { kind: "failure"; code: string | undefined; message: string | undefined; business: string | undefined };

export interface CompiledService<Req, Res> {
  request(r: Req): HisRequest;
  read(text: string): Reading;
  response(data: unknown, r: Req): Mapped<Res>;
  /** The answer "success, no data" stands for: zero rows (and the mapping's constants). */
  empty(r: Req): Mapped<Res>;
}

export interface CompiledProfile {
  name: string;
  // Each service is typed by its own request and answer in the generated module; here they meet as one table.
  services: Readonly<Record<string, CompiledService<never, unknown> | undefined>>;
}

/**
 * The escape hatch: what the declarative mapping cannot say, in TypeScript, beside the profile
 * (profiles/<name>/hooks/<Service>.ts, named by `hook:` in the service). `request` gets the mapped HIS fields
 * and the standard request; `response` the mapped standard answer, the HIS data and the request. The standard's
 * validator still checks what `response` returns.
 */
export interface Hook<Req, Res> {
  request?(his: { [name: string]: unknown }, request: Req): { [name: string]: unknown };
  response?(mapped: Mapped<Res>, data: unknown, request: Req): Mapped<Res>;
}
