import type { BusinessIdName } from "../../../generated/trail.js";

/** Who called whom: the platform the hospital (spi, SOAP, and the deliveries of its notifications), or back. */
export type TrailDirection = "platformToHospital" | "hospitalToPlatform";

/**
 * One exchange as the message trail keeps it. Identifiers, outcomes and timings only: the business ids come
 * from generated/trail.ts (spec/trail.yaml), so a patient's name, phone, ID, card or record number, or any
 * decrypted payload, has no field to land in.
 */
export interface TrailRecord {
  /** Epoch ms when the request arrived (for a delivery: when the attempt started). */
  at: number;
  requestId: string;
  direction: TrailDirection;
  service: string;
  /** post | get | soap (the platform's transports), platform (hisgate → platform), delivery (a notification). */
  transport: string;
  /** The payload format on the wire: xml | json. */
  format: string;
  resultCode: string;
  /** The HIS's own code when an HIS profile translates it (kept apart from the standard's resultCode). */
  hisCode?: string;
  /** HTTP status of the HIS's (or, hospitalToPlatform, the platform's) answer. */
  upstreamStatus?: number;
  upstreamMs?: number;
  totalMs: number;
  ids: Partial<Record<BusinessIdName, string>>;
  /** Field paths that failed validation (request.orderId), never their values. */
  paths?: string[];
  /** For a delivery: which attempt this was. */
  attempt?: number;
}

export interface StoredMessage extends TrailRecord {
  /** Position in the tenant's trail: the cursor pages on it. */
  seq: number;
}

/** A trail row as /messages answers it (and `hisgate trace` reads it): `at` in ISO 8601, no internal position. */
export type PublicMessage = Omit<StoredMessage, "seq" | "at"> & { at: string };

export interface MessageQuery {
  ids?: Partial<Record<BusinessIdName, string>>;
  service?: string;
  resultCode?: string;
  /** Inclusive bounds, epoch ms. */
  from?: number;
  to?: number;
  limit: number;
  /** Time and seq of the last message of the previous page (the trail is ordered by time, then seq). */
  after?: { at: number; seq: number };
  order: "asc" | "desc";
}

export interface ServiceFigures {
  service: string;
  direction: TrailDirection;
  count: number;
  succeeded: number;
  successRate: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
}

export interface StatusFigures {
  generatedAt: number;
  windows: { hour: ServiceFigures[]; day: ServiceFigures[] };
  latestFailures: {
    at: number;
    requestId: string;
    service: string;
    direction: TrailDirection;
    resultCode: string;
    hisCode?: string;
    paths?: string[];
  }[];
}

/** The Prometheus series the trail keeps per tenant: counters since the trail began, never reset by purges. */
export interface CounterRow {
  direction: string;
  service: string;
  resultCode: string;
  count: number;
  totalMsSum: number;
}

export interface HistogramRow {
  service: string;
  /** Upper bound in ms (Infinity for +Inf), cumulative count. */
  le: number;
  count: number;
}

/** Filled in by the HIS or platform client as it talks upstream. */
export interface UpstreamSeen {
  status?: number;
  ms?: number;
  /** The HIS's own result code, when an HIS profile translates it. */
  hisCode?: string;
}

/** Upper bounds (ms) of the latency histogram /metrics exposes. */
export const LATENCY_BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000] as const;
