import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../env.js";
import { log } from "../../log.js";

export type RequestLogOptions = {
  /** Paths not worth a line (health checks). */
  skip?: (path: string) => boolean;
};

/** LOG_LEVEL=warn keeps only the lines of requests that were refused or failed (resultCode other than SUCCESS). */
const quiet = (level: string | undefined) => level?.toLowerCase() === "warn" || level?.toLowerCase() === "error";

/**
 * One structured line per request with its id and outcome (one, not several: under load each line costs as
 * much as the gateway's own work on a small request, see docs/performance.md). It names the institution (partner, hospitalCode)
 * and the service, never keys, payloads or anything identifying a patient.
 */
export const requestLog = (options: RequestLogOptions = {}): MiddlewareHandler<AppEnv> =>
  async function requestLog(c, next) {
    const started = Date.now();
    await next();
    if (options.skip?.(c.req.path)) return;
    if (quiet(c.env.LOG_LEVEL) && c.var.resultCode === "SUCCESS" && c.res.status < 400) return;
    log("info", "request", {
      requestId: c.var.requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      service: c.var.service,
      partner: c.var.partner,
      hospitalCode: c.var.hospitalCode,
      // Which of the tenant's keys verified (inbound) or signed (/platform): its position, never the key.
      key: c.var.tenantKey?.index,
      resultCode: c.var.resultCode,
      detail: c.var.detail,
      paths: c.var.errorPaths,
      ms: Date.now() - started,
    });
  };
