// hisgate-demo-his: a stateful demo hospital for `npm run dev`. The gateway reaches it through the DEMO_HIS service
// binding, both as the tenant's HIS (hisService) and as its platform (platformService, POST /platform-api).
import { DurableObject } from "cloudflare:workers";
import { app } from "./app.js";

export interface Env {
  HIS: DurableObjectNamespace<DemoHis>;
  PLATFORM_KEY?: string;
}

/** One hospital's records, in the object's SQLite-backed storage; every request runs the app inside it. */
export class DemoHis extends DurableObject<Env> {
  override fetch(request: Request): Response | Promise<Response> {
    return app.fetch(request, { store: this.ctx.storage.kv, PLATFORM_KEY: this.env.PLATFORM_KEY });
  }
}

/** The hospital a request is for: the gateway's x-hospital-code header, or the envelope's hospitalCode. */
function hospitalCodeOf(request: Request, body: string | undefined): string {
  if (body !== undefined) {
    const fromXml = /<hospitalCode>\s*(?:<!\[CDATA\[)?([^<\]]*)/.exec(body)?.[1];
    let fromJson: unknown;
    try {
      fromJson = (JSON.parse(body) as { hospitalCode?: unknown }).hospitalCode;
    } catch {
      // XML, or not an envelope: the DO answers that.
    }
    const code = typeof fromJson === "string" ? fromJson : fromXml;
    if (code?.trim()) return code.trim();
  }
  return request.headers.get("x-hospital-code")?.trim() || "0";
}

export default {
  async fetch(request, env): Promise<Response> {
    let body: string | undefined;
    if (request.method === "POST" && new URL(request.url).pathname === "/platform-api") {
      body = await request.text();
      request = new Request(request.url, { method: "POST", headers: request.headers, body });
    }
    const code = hospitalCodeOf(request, body).slice(0, 64);
    return env.HIS.get(env.HIS.idFromName(code)).fetch(request);
  },
} satisfies ExportedHandler<Env>;
