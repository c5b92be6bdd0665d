import { Hono } from "hono";
import { requestId } from "hono/request-id";
import type { AppEnv } from "./env.js";
import { messageTrail } from "./middleware/message-trail/index.js";
import { requestLog } from "./middleware/request-log/index.js";
import { sendEnvelopeError } from "./render/envelope.js";
import { deliveryRoutes } from "./routes/deliveries.js";
import { docsRoutes } from "./routes/docs.js";
import { messageRoutes } from "./routes/messages.js";
import { metricsRoutes } from "./routes/metrics.js";
import { statusJsonRoutes, statusRoutes } from "./routes/status.js";
import { platformRoutes } from "./routes/platform.js";
import { soapRoutes } from "./routes/soap.js";
import { spiRoutes } from "./routes/spi.js";

export const app = new Hono<AppEnv>();

app.use(requestId());
app.use(requestLog({ skip: (path) => path === "/healthz" }));

// Every exchange of a known tenant goes to its message trail (after the answer is written).
app.use("/wd/*", messageTrail({ direction: "platformToHospital" }));
app.use("/ApiService.asmx", messageTrail({ direction: "platformToHospital" }));
app.use("/platform/*", messageTrail({ direction: "hospitalToPlatform" }));

app.get("/", (c) =>
  c.json({
    name: "hisgate",
    endpoints: [
      "POST /wd/api",
      "GET /wd/api/{service}",
      "GET /wd/spi/{service}",
      "POST /ApiService.asmx",
      "POST /platform/{service}",
      "GET /deliveries",
      "POST /deliveries/{id}/replay",
      "GET /messages",
      "GET /status",
      "GET /status.json",
      "GET /metrics",
    ],
  }),
);
app.get("/healthz", (c) => c.text("ok"));

// The platform's envelope routes (and /docs) answer in the standard's envelope; the HIS's own surfaces are
// sub-apps that render their errors themselves.
app.route("/", spiRoutes);
app.route("/", soapRoutes);
app.route(
  "/",
  docsRoutes(async (request, env, ctx) => app.fetch(request, env, ctx)),
);
app.route("/platform", platformRoutes);
app.route("/deliveries", deliveryRoutes);
app.route("/messages", messageRoutes);
app.route("/status", statusRoutes);
app.route("/status.json", statusJsonRoutes);
app.route("/metrics", metricsRoutes);

app.notFound((c) =>
  c.json({ resultCode: "ILLEGAL_SERVICE", resultMessage: `no such endpoint: ${c.req.method} ${c.req.path}` }, 404),
);

// What an envelope route throws before it knows the caller's format (a body past MAX_BODY_BYTES, not UTF-8):
// a signed JSON envelope, HTTP 200, never a stack trace.
app.onError((err, c) => sendEnvelopeError(c, err, { format: "json" }));
