import { Hono } from "hono";
import { findService, getService } from "../../../generated/registry.js";
import { currentKey } from "../config/keys.js";
import type { AppEnv } from "../env.js";
import { GatewayError } from "../errors.js";
import { hisToken } from "../middleware/his-token/index.js";
import { parseJson } from "../payload/json.js";
import { callPlatform } from "../hospital-to-platform/call.js";
import { parseStatement } from "../hospital-to-platform/statement.js";
import { readUtf8 } from "../protocol/text.js";
import { hisBodyLimit, hisJsonError } from "../render/his-json.js";
import { noteBusinessIds, upstreamOf } from "../trail/record.js";
import { validationDetail } from "../validation.js";
import { fieldOf, messageOf } from "../lib/object.js";

/**
 * Hospital -> platform (§2.2), mounted at /platform: the HIS posts plain JSON; hisgate speaks the platform's
 * envelope for it. Its errors are the HIS's: JSON with an HTTP status, rendered by its own onError.
 */
export const platformRoutes = new Hono<AppEnv>()
  .post("/:service", hisBodyLimit(), hisToken(), async (c) => {
    const tenant = c.var.tenant!;
    const name = c.req.param("service");
    const byName = getService(name);
    const def = byName?.direction === "hospitalToPlatform" ? byName : findService("hospitalToPlatform", name);
    if (!def) throw new GatewayError("ILLEGAL_SERVICE", `${name} is not a hospital -> platform service`);
    c.set("service", def.name);
    if (tenant.services && !tenant.services.has(def.name))
      throw new GatewayError("HAS_NO_PRIVILEGE", `${def.name} is not enabled for this hospital`);
    if (tenant.keyProblem) throw new GatewayError("ILLEGAL_SECURITY_KEY", "the hospital's key is misconfigured");
    // The newest key whose `from` has passed: the platform expects the new key from the moment it switched.
    const key = currentKey(tenant.keys, Date.now());
    if (!key) throw new GatewayError("ILLEGAL_SECURITY_KEY", "no key of this hospital is valid now");
    c.set("tenantKey", key);

    const text = await readUtf8(c.req.raw);
    if (text.trim() === "") throw new GatewayError("NULL_REQUEST", "empty body");
    let body: unknown;
    try {
      body = parseJson(text);
    } catch (cause) {
      throw new GatewayError("ILLEGAL_REQUEST", messageOf(cause), [], { cause });
    }
    const result = def.validateRequest(body);
    if (!result.ok) throw new GatewayError("ILLEGAL_ARGUMENT", validationDetail(result.errors), result.errors);

    noteBusinessIds(c, def, "request", result.value);
    const reply = await callPlatform(c.env, tenant, key, def, result.value, c.var.requestId, upstreamOf(c));
    c.set("resultCode", reply.resultCode);
    noteBusinessIds(c, def, "response", reply.data);
    // Statement tables (spec: csv) also go out parsed, keyed by their header: what finance staff reconcile with.
    const parsed: Record<string, Record<string, string>[]> = {};
    for (const field of def.csvFields) {
      const text = reply.data && fieldOf(reply.data, field);
      if (typeof text === "string") parsed[`${field}Rows`] = parseStatement(text);
    }
    return c.json({ ...reply, ...parsed });
  })
  .onError(hisJsonError);
