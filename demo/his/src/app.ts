// The demo HIS as a Hono app: POST /{Service} is the plain-JSON HIS contract (generated/openapi.json), POST
// /platform-api plays the platform for the hospital -> platform direction. It runs inside the DemoHis Durable
// Object (one per hospitalCode) and gets its storage as a binding, so tests can run it on memoryStore().
import { Hono } from "hono";
import { getService } from "../../../generated/registry.js";
import { openScheduleTomorrow, shanghaiNow, type Store } from "./data.js";
import { handleHis, HIS_SERVICES, type HisService } from "./his.js";
import { DEV_KEY, handlePlatform } from "./platform.js";
import { BusinessError } from "./records.js";

export interface DemoBindings {
  store: Store;
  /** The platform's key for this hospital (the dev key when unset). */
  PLATFORM_KEY?: string;
}

export const app = new Hono<{ Bindings: DemoBindings }>();

const isHisService = (name: string): name is HisService => (HIS_SERVICES as readonly string[]).includes(name);

/** What a developer needs to try the demo: the services and a few ids that exist today. */
app.get("/", (c) => {
  const now = shanghaiNow();
  const open = openScheduleTomorrow(c.env.store, now);
  return c.json({
    name: "hisgate demo HIS",
    today: now.datetime,
    services: HIS_SERVICES.map((s) => `POST /${s}`),
    platform: "POST /platform-api (RefundByHis, QueryRefund, GetStatement, StopRegister, NotifyRegisterByHis)",
    examples: {
      departments: "0101 心血管内科, 0102 消化内科, 0201 普通外科, 0202 骨科, 0301 妇科, 0302 儿科",
      patient: { name: "张伟", certifcate: "610102198503121234", card: "70000001", mobile: "13800000001" },
      ...(open
        ? {
            schedule: {
              scheduleId: open.id,
              departmentId: open.departmentId,
              doctorId: open.doctorId,
              registerDate: open.date,
              noon: open.noon,
            },
          }
        : {}),
    },
  });
});

app.post("/platform-api", async (c) => {
  const { body, contentType } = handlePlatform(
    await c.req.text(),
    c.env.store,
    shanghaiNow(),
    c.env.PLATFORM_KEY || DEV_KEY,
  );
  return c.body(body, 200, { "content-type": contentType });
});

app.post("/:service", async (c) => {
  const name = c.req.param("service");
  const def = getService(name);
  if (!def || !isHisService(name))
    return c.json({ resultCode: "ILLEGAL_SERVICE", resultMessage: `传入非法接口名：${name}` }, 404);
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    return c.json({ resultCode: "ILLEGAL_REQUEST", resultMessage: "请求数据无效：不是 JSON" }, 400);
  }
  // The gateway has validated already; checking again coerces the types and keeps the demo honest on its own.
  const checked = def.validateRequest(body);
  if (!checked.ok) {
    const errors = checked.errors.map(({ path, message, messageEn }) => ({ path, message, messageEn }));
    return c.json(
      {
        resultCode: "ILLEGAL_ARGUMENT",
        resultMessage: `参数不正确：${errors.map((e) => e.message).join("；")}`.slice(0, 128),
        errors,
      },
      400,
    );
  }
  try {
    const data = handleHis(name, checked.value as never, c.env.store, shanghaiNow());
    return c.json({
      resultCode: "SUCCESS",
      resultMessage: "成功",
      ...(data !== undefined && def.hasResponse ? { data } : {}),
    });
  } catch (err) {
    if (!(err instanceof BusinessError)) throw err;
    const base = def.resultCodes[err.code] ?? (err.code === "ILLEGAL_ARGUMENT" ? "参数不正确" : err.code);
    return c.json({
      resultCode: err.code,
      resultMessage: (err.detail ? `${base}：${err.detail}` : base).slice(0, 128),
    });
  }
});

app.onError((err, c) => {
  console.error(JSON.stringify({ level: "error", event: "demo_his.error", message: err.message }));
  return c.json({ resultCode: "SYSTEM_ERROR", resultMessage: "系统错误" }, 500);
});
