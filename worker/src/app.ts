import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import { resultCodeMessages } from "../../generated/enums.js";
import { ConfigError } from "./config/tenants.js";
import type { AppEnv } from "./env.js";
import { GatewayError } from "./errors.js";
import { log } from "./log.js";
import { messageTrail } from "./middleware/message-trail/index.js";
import { requestLog } from "./middleware/request-log/index.js";
import { respond } from "./respond.js";
import { deliveryRoutes } from "./routes/deliveries.js";
import { docsRoutes } from "./routes/docs.js";
import { messageRoutes } from "./routes/messages.js";
import { metricsRoutes } from "./routes/metrics.js";
import { statusRoutes } from "./routes/status.js";
import { platformRoutes } from "./routes/platform.js";
import { soapRoutes, soapTransport } from "./routes/soap.js";
import { spiRoutes } from "./routes/spi.js";

const DEFAULT_MAX_BODY = 1024 * 1024;

// The HIS's own calls (/platform, /deliveries) get plain JSON with an HTTP status; anything not listed is the
// platform's or an upstream fault (502).
const HIS_STATUS: Partial<Record<string, 400 | 403 | 404 | 500 | 504>> = {
  ILLEGAL_ARGUMENT: 400,
  ILLEGAL_REQUEST: 400,
  NULL_REQUEST: 400,
  ILLEGAL_ENCODING: 400,
  ILLEGAL_SERVICE: 404,
  HAS_NO_PRIVILEGE: 403,
  ILLEGAL_SECURITY_KEY: 500,
  ILLEGAL_EXTERFACE: 500,
  SESSION_TIMEOUT: 504,
};

export const app = new Hono<AppEnv>();

app.use(requestId());
app.use(requestLog({ skip: (path) => path === "/healthz" }));
// The HIS's own endpoints answer in their JSON with an HTTP status from the first middleware on, so that a refusal
// before the route (an oversized body) is not rendered as a platform envelope.
const HIS_SURFACES = /^\/(platform|deliveries|messages|metrics)(\/|$)/;

app.use(async function defaults(c, next) {
  c.set("replyFormat", "json");
  c.set("transport", HIS_SURFACES.test(c.req.path) ? { kind: "his" } : { kind: "http" });
  await next();
});
app.use("/ApiService.asmx", soapTransport);
app.use(async function limitBody(c, next) {
  const maxSize = Number(c.env.MAX_BODY_BYTES) || DEFAULT_MAX_BODY;
  return bodyLimit({
    maxSize,
    onError: () => {
      const resultMessage = `the body exceeds ${maxSize} bytes`;
      if (c.var.transport.kind === "his") {
        c.set("resultCode", "ILLEGAL_REQUEST");
        return c.json({ resultCode: "ILLEGAL_REQUEST", resultMessage }, 413);
      }
      throw new GatewayError("ILLEGAL_REQUEST", resultMessage);
    },
  })(c, next);
});

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

app.route("/", spiRoutes);
app.route("/", soapRoutes);
app.route("/", platformRoutes);
app.route("/", deliveryRoutes);
app.route("/", docsRoutes);
app.route("/", messageRoutes);
app.route("/", statusRoutes);
app.route("/", metricsRoutes);

app.notFound((c) =>
  c.json({ resultCode: "ILLEGAL_SERVICE", resultMessage: `no such endpoint: ${c.req.method} ${c.req.path}` }, 404),
);

// The one place errors become answers: the standard's result codes, signed, HTTP 200, never a stack trace.
app.onError((err, c) => {
  let error: GatewayError;
  if (err instanceof GatewayError) {
    error = err;
  } else if (err instanceof ConfigError) {
    error = new GatewayError("SYSTEM_ERROR", "the gateway is misconfigured");
  } else {
    log("error", "internal_error", { requestId: c.var.requestId, error: err?.name ?? "Error", message: err?.message });
    error = new GatewayError("SYSTEM_ERROR");
  }
  c.set("detail", error.detail);
  if (error.errors.length)
    c.set(
      "errorPaths",
      error.errors.map((e) => e.path),
    );
  if (c.var.transport?.kind === "his") {
    c.set("resultCode", error.resultCode);
    const status = HIS_STATUS[error.resultCode] ?? 502;
    return c.json(
      {
        resultCode: error.resultCode,
        resultMessage: error.resultMessage,
        ...(error.errors.length
          ? { errors: error.errors.map(({ path, message, messageEn }) => ({ path, message, messageEn })) }
          : {}),
      },
      status,
    );
  }
  return respond(c, {
    resultCode: error.resultCode,
    resultMessage: error.resultMessage || resultCodeMessages.SYSTEM_ERROR.message,
  });
});
