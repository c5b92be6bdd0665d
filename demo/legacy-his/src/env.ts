import type { Store } from "../../his/src/data.js";

/** What the KY-HIS app runs with: its hospital's records (the Durable Object's storage) and its REST key. */
export interface LegacyBindings {
  store: Store;
  /** The X-Api-Key REST callers must send (API.md §1.1); DEFAULT_API_KEY when unset. */
  API_KEY?: string;
}

export interface LegacyEnv {
  Bindings: LegacyBindings;
}
