import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../env.js";
import { recordAfterAnswer } from "../../trail/record.js";
import type { TrailDirection, TrailRecord } from "../../trail/types.js";

/** The request's size as sent: Content-Length of a POST, the query of a GET. */
const requestBytes = (req: Request): number =>
  req.method === "GET" ? req.url.length - req.url.indexOf("?") - 1 : Number(req.headers.get("content-length")) || 0;

export type MessageTrailOptions = {
  /** Which way the exchanges under this middleware go. */
  direction: TrailDirection;
};

/**
 * Records every exchange of a known tenant in its message trail (Durable Object) and, when a METRICS binding
 * exists, as one Analytics Engine data point. Both happen after the answer is written: the trail through
 * waitUntil, the data point being fire-and-forget by design. A request whose tenant is unknown has no trail to
 * go to; it is in the request log.
 */
export const messageTrail = (options: MessageTrailOptions): MiddlewareHandler<AppEnv> =>
  async function messageTrail(c, next) {
    const started = Date.now();
    await next();
    const tenant = c.var.tenant;
    if (!tenant || c.env.MESSAGE_TRAIL === "off") return;
    const totalMs = Date.now() - started;
    const answeredAs = c.var.answeredAs;
    const upstream = c.var.upstream;
    const record: TrailRecord = {
      at: started,
      requestId: c.var.requestId,
      direction: options.direction,
      service: c.var.service ?? "-",
      transport: answeredAs?.soap
        ? "soap"
        : options.direction === "hospitalToPlatform"
          ? "platform"
          : c.req.method === "GET"
            ? "get"
            : "post",
      format: options.direction === "hospitalToPlatform" ? tenant.platformFormat : (answeredAs?.format ?? "json"),
      resultCode: c.var.resultCode ?? "SYSTEM_ERROR",
      ...(upstream?.hisCode ? { hisCode: upstream.hisCode } : {}),
      ...(upstream?.status !== undefined ? { upstreamStatus: upstream.status } : {}),
      ...(upstream?.ms !== undefined ? { upstreamMs: upstream.ms } : {}),
      totalMs,
      ids: c.var.trailIds ?? {},
      ...(c.var.errorPaths?.length ? { paths: c.var.errorPaths } : {}),
    };
    recordAfterAnswer(c.executionCtx, c.env, tenant.partner, tenant.hospitalCode, record);
    c.env.METRICS?.writeDataPoint({
      blobs: [tenant.partner, tenant.hospitalCode, record.service, record.resultCode, record.transport],
      doubles: [totalMs, upstream?.ms ?? 0, requestBytes(c.req.raw)],
      indexes: [`${tenant.partner}:${tenant.hospitalCode}`],
    });
  };
