import { Hono } from "hono";
import type { AppEnv } from "../env.js";
import { limitBody } from "../middleware/body-limit/index.js";
import { readEnvelopeBody, readEnvelopeQuery, replyFormatOf } from "../protocol/envelope.js";
import { readUtf8, sniff } from "../protocol/text.js";
import { sendEnvelope, sendEnvelopeError, type ReplyForm } from "../render/envelope.js";
import { handlePlatformEnvelope } from "../platform-to-hospital/handle.js";

/**
 * The platform's HTTP transports of §1.2: POST /wd/api (XML or JSON) and GET /wd/api|spi/{service}. Each
 * failure is answered in the form known when it happened: the body's own format until the envelope is read,
 * its dataFormat after.
 */
export const spiRoutes = new Hono<AppEnv>()
  .post("/wd/api", limitBody(), async (c) => {
    const text = await readUtf8(c.req.raw);
    let form: ReplyForm = { format: sniff(text) ?? "json" };
    try {
      const envelope = readEnvelopeBody(text);
      form = { format: replyFormatOf(envelope) };
      return sendEnvelope(c, await handlePlatformEnvelope(c, envelope, form.format), form);
    } catch (err) {
      return sendEnvelopeError(c, err, form);
    }
  })
  .get("/wd/:kind{api|spi}/:service", async (c) => {
    const envelope = readEnvelopeQuery(new URL(c.req.url), c.req.param("service"));
    // A GET answers in its dataFormat when it states one, JSON otherwise.
    const form: ReplyForm = { format: envelope.format };
    try {
      return sendEnvelope(c, await handlePlatformEnvelope(c, envelope, form.format), form);
    } catch (err) {
      return sendEnvelopeError(c, err, form);
    }
  });
