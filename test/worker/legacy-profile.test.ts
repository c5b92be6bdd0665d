// The demo legacy HIS (KY-HIS, demo/legacy-his) behind the gateway through profiles/demo-legacy.yaml, in workerd:
// every platform → hospital service answers in the standard, and a booking lifecycle (departments → schedules →
// OrderRegister → Pay → QueryRegister → Refund) runs end to end in KY-HIS's own dialects (REST JSON, UPPERCASE XML,
// SOAP Call). The platform's side is checked with the independent reference.
import { describe, expect, it } from "vitest";
import { validateGetStatementResponse } from "../../generated/validators.js";
import { addDays, memoryStore, shanghaiNow } from "../../demo/his/src/data.js";
import { app as legacyHis } from "../../demo/legacy-his/src/app.js";
import { gateway, post } from "../support/gateway.js";
import { refDecrypt, refEnvelope, refReadReply, refReplySignatureOk, SEED_KEY } from "../support/reference.js";

const store = memoryStore();
const gw = gateway(
  async (call) => {
    const res = await legacyHis.fetch(
      new Request(call.url, {
        method: call.method,
        headers: call.headers,
        ...(call.method === "GET" ? {} : { body: call.text }),
      }),
      { store, API_KEY: "demo-legacy-key" },
    );
    return res;
  },
  [
    {
      partner: "TEST_WX",
      hospitalCode: "43010002",
      key: SEED_KEY,
      hisUrl: "http://legacy-his",
      hisService: "HIS",
      hisHeaders: { "X-Api-Key": "demo-legacy-key" },
      hisProfile: "demo-legacy",
    },
  ],
);

interface Reply {
  resultCode: string;
  resultMessage: string;
  data: any;
}

async function call(service: string, request: unknown, format: "json" | "xml" = "json"): Promise<Reply> {
  const payload =
    format === "json"
      ? JSON.stringify(request)
      : `<request>${Object.entries(request as Record<string, string>)
          .map(([k, v]) => `<${k}><![CDATA[${v}]]></${k}>`)
          .join("")}</request>`;
  const { body } = refEnvelope({ service, hospitalCode: "43010002", format, payload });
  const reply = refReadReply(await (await gw.fetch("/wd/api", post(body))).text());
  expect(refReplySignatureOk(reply)).toBe(true);
  const plain = reply.responseEncrypted ? refDecrypt(reply.responseEncrypted, SEED_KEY) : undefined;
  return {
    resultCode: reply.resultCode!,
    resultMessage: reply.resultMessage!,
    data: plain && format === "json" ? JSON.parse(plain) : plain,
  };
}

const ok = async (service: string, request: unknown): Promise<any> => {
  const reply = await call(service, request);
  expect(reply.resultCode, `${service}: ${reply.resultMessage}`).toBe("SUCCESS");
  return reply.data;
};

// KY-HIS answers a day without transactions "success, no data" (resultCode 1): zero rows, which the standard's
// validator accepts once issue 10 item 18 (an empty required list is zero rows) has landed.
const emptyListsAccepted = validateGetStatementResponse({
  totalCount: 0,
  totalAmount: 0,
  refundAmount: 0,
  transaction: [],
}).ok;
const now = shanghaiNow();
const tomorrow = addDays(now.date, 1);
const patient = {
  name: "张伟",
  certifcateType: 1,
  certifcateNo: "610102198503121234",
  mobile: "13800000001",
  birthday: "1985-03-12",
  sex: 1,
};

describe("demo-legacy profile against KY-HIS", () => {
  it("a booking lifecycle: departments → schedules → OrderRegister → Pay → QueryRegister → Refund", async () => {
    const departments = await ok("GetDepartmentInfo", { currentPage: 1, pageSize: 50 });
    expect(Number(departments.count)).toBeGreaterThan(0);
    expect(departments.department.every((d: { status: string }) => d.status === "1")).toBe(true);
    expect(departments.department.find((d: { id: string }) => d.id === "01").parentId).toBe("-1");

    // A clinic (a second-level department: KY-HIS books and times schedules under their own clinic) with open
    // schedules tomorrow, its first slot with numbers left.
    let slot: any;
    for (const d of (departments.department as { id: string; level: string }[]).filter((x) => x.level === "2")) {
      const schedules = await ok("GetScheduleInfo", {
        departmentId: d.id,
        startDate: tomorrow,
        endDate: tomorrow,
        currentPage: 1,
        pageSize: 50,
      });
      for (const doctor of schedules.schedule ?? [])
        for (const date of doctor.date)
          for (const noon of date.noon)
            if (!slot && noon.status === "1" && Number(noon.remainCount) > 0)
              slot = { departmentId: d.id, doctorId: doctor.doctorId, registerDate: date.registerDate, ...noon };
      if (slot) break;
    }
    expect(slot, "an open slot tomorrow").toBeDefined();
    expect(slot.registerDate).toBe(tomorrow);
    expect(slot.startTime).toMatch(/^\d\d:\d\d$/);

    let timeId: string | undefined;
    if (slot.isTime === "1") {
      const times = await ok("GetScheduleTimeInfo", {
        departmentId: slot.departmentId,
        doctorId: slot.doctorId,
        registerDate: slot.registerDate,
        noon: Number(slot.noon),
        scheduleId: slot.id,
      });
      timeId = times.time.find((t: { remainCount: string }) => Number(t.remainCount) > 0)?.id;
    }

    const fees = ["registerFee", "treatFee", "serviceFee", "otherFee"].map((k) => Number(slot[k]));
    const total = fees.reduce((a, b) => a + b, 0);
    const orderId = `WX${Date.now()}`;
    const order = await ok("OrderRegister", {
      orderId,
      channelId: 1,
      scheduleId: slot.id,
      ...(timeId ? { timeId } : {}),
      departmentId: slot.departmentId,
      doctorId: slot.doctorId,
      registerDate: slot.registerDate,
      noon: Number(slot.noon),
      registerFee: fees[0],
      treatFee: fees[1],
      serviceFee: fees[2],
      otherFee: fees[3],
      registerType: 2,
      patientName: patient.name,
      patientMobile: patient.mobile,
      patientBirthday: patient.birthday,
      patientSex: patient.sex,
      patientFlag: 0,
      orderTime: now.datetime,
      group: [{ flag: 0, rule: [{ id: "certifcate", type: "1", value: patient.certifcateNo }] }],
    });
    expect(order.hospitalOrderId).toMatch(/^HO/);
    expect(order.patientId).toBeTruthy();

    /** Pay of this order's whole fee, under trade ids of its own. */
    const payment = (tradeId: string, outTradeId: string, more: Record<string, unknown> = {}) => ({
      businessType: 1,
      orderId,
      tradeId,
      outTradeId,
      payTime: now.datetime,
      payMode: 2,
      payChannel: 1,
      payType: 101,
      isConcessions: 0,
      totalFee: total,
      payableFee: total,
      activityFee: 0,
      medicareFee: 0,
      realFee: total,
      ...more,
    });
    const pay = await ok("Pay", payment(`T${orderId}`, `42${Date.now()}`, { hospitalOrderId: order.hospitalOrderId }));
    expect(pay.hospitalTradeId).toBeTruthy();

    /** The order as QueryRegister sees it, within the coming week. */
    const queryOrder = () =>
      ok("QueryRegister", {
        orderId,
        startDate: now.date,
        endDate: addDays(now.date, 7),
        queryType: 0,
        currentPage: 1,
        pageSize: 10,
      });
    const query = await queryOrder();
    expect(query.count).toBe("1");
    expect(query.order[0]).toMatchObject({ orderId, isPay: "1", isCancel: "0", totalFee: String(total) });

    const refund = await ok("Refund", {
      businessType: 1,
      orderId,
      hospitalOrderId: order.hospitalOrderId,
      tradeId: `T${orderId}`,
      hospitalTradeId: pay.hospitalTradeId,
      refundId: `R${orderId}`,
      refundChannel: 1,
      refundType: 101,
      totalFee: total,
      refundFee: total,
      refundTime: now.datetime,
      reason: "行程有变",
      user: [{ id: "certifcate", type: "1", value: patient.certifcateNo }],
    });
    expect(refund).toMatchObject({ refundFlag: "1" });
    expect(refund.hospitalRefundId).toBeTruthy();

    const after = await queryOrder();
    expect(after.order[0]).toMatchObject({ isRefund: "1", refundlFee: String(total) });

    // Paying again is the HIS's -104 (订单已退费) through the profile's codes, not a success.
    const again = await call("Pay", payment(`T2${orderId}`, `43${Date.now()}`));
    expect(again.resultCode).toMatch(/^S0200010[1-7]$/);
  });

  it("every platform → hospital service answers in the standard through the profile (no mapping error)", async () => {
    const answers: Record<string, string> = {};
    const record = async (service: string, request: unknown) => {
      const reply = await call(service, request);
      answers[service] = reply.resultCode;
    };
    await record("TestNet", { ip: "127.0.0.1" });
    await record("GetDoctorInfo", { departmentId: "01", currentPage: 1, pageSize: 10 });
    await record("QueryStopRegister", {
      departmentId: "01",
      startDate: now.date,
      endDate: addDays(now.date, 7),
      currentPage: 1,
      pageSize: 10,
    });
    await record("GetPatientInfo", {
      user: [
        { id: "certifcate", type: "1", value: patient.certifcateNo },
        { id: "mobile", value: patient.mobile },
      ],
    });
    await record("CheckCard", {
      patientType: 1,
      certifcateType: 1,
      certifcateNo: patient.certifcateNo,
      cardType: 7,
      cardNo: "70000001",
      name: patient.name,
      sex: 1,
      birthday: patient.birthday,
    });
    await record("CreatePatient", {
      patientType: 1,
      certifcateType: 1,
      certifcateNo: "110101199001010011",
      name: "测试患者",
      sex: 1,
      birthday: "1990-01-01",
      mobile: "13800000009",
    });
    if (emptyListsAccepted) await record("GetStatement", { startDate: now.date, endDate: now.date });
    for (const [service, code] of Object.entries(answers))
      expect([service, code]).toEqual([service, expect.stringMatching(/^(SUCCESS|S\d{8})$/)]);
    expect(answers.TestNet).toBe("SUCCESS");
    expect(answers.GetDoctorInfo).toBe("SUCCESS");
    expect(answers.GetPatientInfo).toBe("SUCCESS");
    expect(answers.CheckCard).toBe("SUCCESS");
  });

  it("GetStatement for a day without transactions (BILL_QUERY resultCode 1): SUCCESS with zero totals", async () => {
    const data = await ok("GetStatement", { startDate: "2020-01-01", endDate: "2020-01-01" });
    expect(data).toMatchObject({ totalCount: "0", totalAmount: "0", refundAmount: "0" });
    expect(data.transaction ?? []).toEqual([]);
  });

  it("XML envelopes too: the platform gets the standard's XML of KY-HIS's data", async () => {
    const reply = await call("GetDepartmentInfo", { departmentId: "0101", currentPage: "1", pageSize: "10" }, "xml");
    expect(reply.resultCode, reply.resultMessage).toBe("SUCCESS");
    expect(reply.data).toContain("<id><![CDATA[0101]]></id>");
  });
});
