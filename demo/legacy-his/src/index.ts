// hisgate-demo-legacy-his: KY-HIS, a hospital HIS that knows nothing of hisgate's contract (API.md), for `npm run
// dev` (tenant 43010002 reaches it through the LEGACY_HIS service binding and profiles/demo-legacy.yaml).
import { DurableObject } from "cloudflare:workers";
import { app } from "./app.js";

export interface Env {
  HIS: DurableObjectNamespace<LegacyHis>;
  API_KEY?: string;
}

/** The hospital's records, in the object's SQLite-backed storage; every request runs the app inside it. */
export class LegacyHis extends DurableObject<Env> {
  override fetch(request: Request): Response | Promise<Response> {
    return app.fetch(request, { store: this.ctx.storage.kv, API_KEY: this.env.API_KEY });
  }
}

export default {
  // One HIS, one hospital: every request goes to the same object, whatever the caller says it is.
  fetch: (request, env): Promise<Response> => env.HIS.get(env.HIS.idFromName("KY-HIS")).fetch(request),
} satisfies ExportedHandler<Env>;
