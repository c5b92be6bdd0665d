import { Hono } from "hono";
import { readEnvelopeBody, readEnvelopeQuery, replyFormatOf, sniff } from "../envelope/read.js";
import type { AppEnv } from "../env.js";
import { GatewayError } from "../errors.js";
import { respond } from "../respond.js";
import { handlePlatformEnvelope } from "../spi/handle.js";

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** Reads a body as strict UTF-8 (inputCharset is utf-8 only): anything else is ILLEGAL_ENCODING. */
export async function readUtf8(req: Request): Promise<string> {
  const bytes = await req.arrayBuffer();
  try {
    return utf8.decode(bytes);
  } catch {
    throw new GatewayError("ILLEGAL_ENCODING", "the body is not UTF-8");
  }
}

/** The platform's HTTP transports of §1.2: POST /wd/api (XML or JSON) and GET /wd/api|spi/{service}. */
export const spiRoutes = new Hono<AppEnv>()
  .post("/wd/api", async (c) => {
    const text = await readUtf8(c.req.raw);
    c.set("replyFormat", sniff(text) ?? "json");
    const envelope = readEnvelopeBody(text);
    c.set("replyFormat", replyFormatOf(envelope));
    return respond(c, await handlePlatformEnvelope(c, envelope));
  })
  .get("/wd/:kind{api|spi}/:service", async (c) => {
    const envelope = readEnvelopeQuery(new URL(c.req.url), c.req.param("service"));
    // A GET answers in its dataFormat when it states one, JSON otherwise.
    c.set("replyFormat", envelope.format);
    return respond(c, await handlePlatformEnvelope(c, envelope));
  });
