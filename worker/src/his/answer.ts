// The types callHis and the profile runtime (profile-call.ts) share; apart from both so neither imports the other.
import type { components } from "../../../generated/openapi.js";
import type { ServiceName } from "../../../generated/types.js";

/** Any service's answer in the HIS contract (generated/openapi.json, `<Service>Reply`). */
type ContractReply = components["schemas"][`${ServiceName}Reply`];

/**
 * What the HIS answers: the contract's resultCode and resultMessage, its `data` as read and not yet validated
 * (the service's response validator does that next, naming the field), and the HTTP status it came with.
 */
export type HisAnswer = Pick<ContractReply, "resultCode" | "resultMessage"> & {
  data?: unknown;
  status: number;
};

/** One HTTP exchange with the HIS: status and whole body text, within the tenant's deadline. */
export type Exchange = (url: string, init: RequestInit) => Promise<{ status: number; text: string }>;
