// KY-HIS, the demo legacy HIS (API.md): three subsystems of three ages on one Hono app — REST JSON registration
// (/his/api), UPPERCASE XML master data (/his/xml) and a SOAP billing web service (/his/ws). It runs inside the
// LegacyHis Durable Object and gets its storage as a binding, so tests can run it on memoryStore().
import { Hono } from "hono";
import { openScheduleTomorrow, shanghaiNow } from "../../his/src/data.js";
import { charge, SOAP_PATH } from "./charge.js";
import { dept } from "./dept.js";
import type { LegacyEnv } from "./env.js";
import { rest, REST_PATHS } from "./rest.js";

export const app = new Hono<LegacyEnv>();

/** What a developer needs to try KY-HIS: its interfaces and a schedule open tomorrow. */
app.get("/", (c) => {
  const now = shanghaiNow();
  const open = openScheduleTomorrow(c.env.store, now);
  return c.json({
    name: "康源医院信息系统 KY-HIS 3.2 (hisgate demo legacy HIS)",
    document: "demo/legacy-his/API.md",
    rest: { header: "X-Api-Key", paths: REST_PATHS },
    xml: ["POST /his/xml/QueryDept"],
    soap: {
      endpoint: SOAP_PATH,
      wsdl: `${SOAP_PATH}?wsdl`,
      funcCodes: ["GH_PAY", "GH_REFUND", "GH_REFUND_NOTIFY", "BILL_QUERY"],
    },
    ...(open
      ? {
          example: {
            dept_id: open.departmentId,
            doctor_code: open.doctorId,
            schedule_id: open.id,
            clinic_date: open.date.replaceAll("-", ""),
            patient: { query_type: "1", query_value: "610102198503121234", card_no: "70000001" },
          },
        }
      : {}),
  });
});

app.route("/", rest);
app.route("/", dept);
app.route("/", charge);

app.notFound((c) => c.json({ code: "-1", message: "接口不存在", data: null }, 404));

app.onError((err, c) => {
  console.error(JSON.stringify({ level: "error", event: "legacy_his.error", surface: "rest", message: err.message }));
  return c.json({ code: "-1", message: "系统异常", data: null });
});
