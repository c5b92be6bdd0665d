// The bare passthrough the gateway is measured against (bench/http.bench.ts): the same Workers runtime, the same
// wrangler dev proxy in front, the same stub HIS behind, and nothing in between: the request body bytes go to
// the stub unchanged and the stub's bytes come back unchanged. No parsing, crypto, validation or logging.
interface Env {
  HIS_URL: string;
  /** Diagnostics only: log this many JSON lines per request, as the gateway's request log does (default none). */
  LOG_LINES?: string;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (request.method === "GET") return new Response("ok");
    for (let i = 0; i < Number(env.LOG_LINES ?? 0); i++)
      console.log(
        JSON.stringify({
          level: "info",
          event: "passthrough",
          requestId: crypto.randomUUID(),
          path: pathname,
          line: i,
        }),
      );
    const upstream = await fetch(`${env.HIS_URL}${pathname}`, {
      method: "POST",
      body: await request.arrayBuffer(),
      headers: { "content-type": request.headers.get("content-type") ?? "application/octet-stream" },
    });
    return new Response(await upstream.arrayBuffer(), {
      status: upstream.status,
      headers: { "content-type": upstream.headers.get("content-type") ?? "application/octet-stream" },
    });
  },
};
