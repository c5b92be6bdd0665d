import { Hono, type Context } from "hono";
import { businessIdNames, type BusinessIdName } from "../../../generated/trail.js";
import type { AppEnv } from "../env.js";
import { GatewayError } from "../errors.js";
import { hisToken } from "../middleware/his-token/index.js";
import { hisBodyLimit, hisJsonError } from "../render/his-json.js";
import { trailOf } from "../trail/record.js";
import type { MessageQuery, PublicMessage, StoredMessage } from "../trail/types.js";

const MAX_LIMIT = 500;
const DEFAULT_LIMIT = 50;

export function publicMessage({ seq: _seq, at, ...rest }: StoredMessage): PublicMessage {
  return { at: new Date(at).toISOString(), ...rest };
}

/** A query string /messages cannot read: 400 ILLEGAL_ARGUMENT naming the parameter, as on every HIS surface. */
const badQuery = (reason: string) => new GatewayError("ILLEGAL_ARGUMENT", reason);

/** An instant as ISO 8601 (2026-12-03T08:00:00+08:00) or epoch milliseconds. */
function instant(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(n)) throw badQuery(`${name} must be an ISO 8601 time or epoch milliseconds`);
  return n;
}

const encodeCursor = (after: { at: number; seq: number }) => btoa(`m${after.at}.${after.seq}`).replace(/=+$/, "");
function decodeCursor(cursor: string | undefined): { at: number; seq: number } | undefined {
  if (cursor === undefined || cursor === "") return undefined;
  let text: string;
  try {
    text = atob(cursor);
  } catch {
    throw badQuery("cursor is not one this gateway gave out");
  }
  const m = /^m(\d{1,15})\.(\d{1,15})$/.exec(text);
  if (!m) throw badQuery("cursor is not one this gateway gave out");
  return { at: Number(m[1]), seq: Number(m[2]) };
}

/** Reads /messages' query string; every problem is named. */
export function readMessageQuery(c: Context<AppEnv>): MessageQuery {
  const q = (name: string) => c.req.query(name);
  const ids: Partial<Record<BusinessIdName, string>> = {};
  for (const name of businessIdNames) {
    const v = q(name);
    if (v !== undefined && v !== "") ids[name] = v;
  }
  const limitText = q("limit");
  const limit = limitText === undefined || limitText === "" ? DEFAULT_LIMIT : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    throw badQuery(`limit must be an integer from 1 to ${MAX_LIMIT}`);
  const order = q("order") ?? "desc";
  if (order !== "asc" && order !== "desc") throw badQuery("order must be asc or desc");
  const from = instant(q("from"), "from");
  const to = instant(q("to"), "to");
  const after = decodeCursor(q("cursor"));
  return {
    ids,
    ...(q("service") ? { service: q("service")! } : {}),
    ...(q("resultCode") ? { resultCode: q("resultCode")! } : {}),
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    ...(after !== undefined ? { after } : {}),
    limit,
    order,
  };
}

/**
 * GET /messages, mounted at /messages: the tenant's message trail (Bearer hisToken), newest first, filtered by any
 * business id (orderId, outTradeId, refundId, hospitalOrderId, hospitalTradeId, hospitalRefundId), service,
 * resultCode and time; paged with the opaque cursor of the previous answer. A HIS surface: its failures are JSON
 * with an HTTP status, rendered by its own onError.
 */
export const messageRoutes = new Hono<AppEnv>()
  .use(hisBodyLimit(), hisToken())
  .get("/", async (c) => {
    const tenant = c.var.tenant!;
    const query = readMessageQuery(c);
    const page = await trailOf(c.env, tenant.partner, tenant.hospitalCode).query(query);
    c.set("resultCode", "SUCCESS");
    return c.json({
      messages: page.messages.map(publicMessage),
      cursor: page.next === undefined ? null : encodeCursor(page.next),
    });
  })
  .onError(hisJsonError);
