// The types callHis and the profile runtime (profile-call.ts) share; apart from both so neither imports the other.

/** What the HIS answers, per generated/openapi.json. */
export interface HisAnswer {
  resultCode: string;
  resultMessage: string;
  data?: unknown;
  /** The HTTP status the HIS answered with. */
  status: number;
}

/** One HTTP exchange with the HIS: status and whole body text, within the tenant's deadline. */
export type Exchange = (url: string, init: RequestInit) => Promise<{ status: number; text: string }>;
