// The bindings the worker project's tests see through `cloudflare:test`'s env.
import type { Bindings } from "../worker/src/env.js";

declare global {
  namespace Cloudflare {
    interface Env extends Bindings {
      HIS_STUB: Fetcher;
    }
  }
}
