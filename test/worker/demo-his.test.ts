// The demo HIS of `npm run dev` (demo/his): its Hono app on an in-memory store (the Durable Object hands it
// ctx.storage.kv instead), driven through the registration lifecycle. Every answer must pass the generated response
// validator, and its business codes must be the service's own. The last block puts the real gateway in front of it,
// as `npm run dev` does.
import { describe, expect, it } from "vitest";
import { ResultCode } from "../../generated/enums.js";
import { getService } from "../../generated/registry.js";
import { app as demo } from "../../demo/his/src/app.js";
import { addDays, memoryStore, shanghaiNow, type Store } from "../../demo/his/src/data.js";
import { HIS_SERVICES } from "../../demo/his/src/his.js";
import { gateway, post } from "../support/gateway.js";
import { refDecrypt, refReadReply, refReplySignatureOk, SEED_KEY } from "../support/reference.js";

interface Reply {
  resultCode: string;
  resultMessage: string;
  data?: Record<string, any>;
}

const succeeded = new Set<string>();

function expectContract(service: string, reply: Reply): void {
  const def = getService(service)!;
  expect(typeof reply.resultMessage).toBe("string");
  expect(reply.resultMessage.length).toBeLessThanOrEqual(128);
  if (reply.resultCode === "SUCCESS") {
    succeeded.add(service);
    if (!def.hasResponse) return expect(reply.data).toBeUndefined();
    const checked = def.validateResponse(reply.data);
    expect(checked.ok ? [] : checked.errors.map((e) => e.messageEn), `${service} answer`).toEqual([]);
  } else {
    expect(
      [...Object.keys(def.resultCodes), ...Object.keys(ResultCode)],
      `${service} ${reply.resultMessage}`,
    ).toContain(reply.resultCode);
  }
}

function demoHis(store: Store = memoryStore()) {
  return {
    store,
    async call(service: string, body: unknown): Promise<Reply> {
      const res = await demo.fetch(
        new Request(`http://demo-his/${service}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        }),
        { store },
      );
      const reply = (await res.json()) as Reply;
      expectContract(service, reply);
      return reply;
    },
  };
}

const now = shanghaiNow();
const today = now.date;
const ZHANG_WEI = [{ id: "certifcate", type: "1", value: "610102198503121234" }];

/** A time slot with numbers left, from tomorrow on, found the way the platform finds one. */
async function openSlot(his: ReturnType<typeof demoHis>, departmentId = "0101", atLeast = 1) {
  const info = await his.call("GetScheduleInfo", {
    departmentId,
    startDate: addDays(today, 1),
    endDate: addDays(today, 5),
    currentPage: 1,
    pageSize: 20,
  });
  expect(info.resultCode).toBe("SUCCESS");
  for (const doctor of info.data!.schedule) {
    for (const day of doctor.date) {
      for (const noon of day.noon) {
        if (noon.status !== 1 || noon.remainCount < atLeast) continue;
        const times = await his.call("GetScheduleTimeInfo", {
          departmentId,
          doctorId: doctor.doctorId,
          registerDate: day.registerDate,
          noon: -1,
        });
        expect(times.resultCode).toBe("SUCCESS");
        const time = times.data!.time.find((t: any) => t.scheduleId === noon.id && t.remainCount > 0);
        if (time)
          return {
            departmentId,
            doctorId: doctor.doctorId as string,
            registerDate: day.registerDate as string,
            noon,
            time,
          };
      }
    }
  }
  throw new Error("no open slot in the seeded week");
}

type Slot = Awaited<ReturnType<typeof openSlot>>;

function orderRegister(
  slot: Slot,
  orderId: string,
  rules: { id: string; type?: string; value: string }[] = ZHANG_WEI,
  patient = { name: "张伟", sex: 1, birthday: "1985-03-12", mobile: "13800000001" },
) {
  return {
    orderId,
    channelId: 1,
    scheduleId: slot.noon.id,
    timeId: slot.time.id,
    departmentId: slot.departmentId,
    doctorId: slot.doctorId,
    registerDate: slot.registerDate,
    noon: slot.noon.noon,
    startTime: slot.time.startTime,
    endTime: slot.time.endTime,
    registerFee: slot.noon.registerFee,
    treatFee: slot.noon.treatFee,
    serviceFee: slot.noon.serviceFee,
    otherFee: slot.noon.otherFee,
    registerType: 3,
    patientName: patient.name,
    patientMobile: patient.mobile,
    patientBirthday: patient.birthday,
    patientSex: patient.sex,
    patientFlag: 0,
    orderTime: now.datetime,
    group: [{ flag: 0, rule: rules }],
  };
}

const total = (slot: Slot): number =>
  slot.noon.registerFee + slot.noon.treatFee + slot.noon.serviceFee + slot.noon.otherFee;

function pay(orderId: string, hospitalOrderId: string, fee: number, outTradeId: string) {
  return {
    businessType: 1,
    orderId,
    hospitalOrderId,
    tradeId: `PAY${outTradeId}`,
    outTradeId,
    payTime: now.datetime,
    payMode: 2,
    payChannel: 1,
    payType: 101,
    isConcessions: 0,
    totalFee: fee,
    payableFee: fee,
    activityFee: 0,
    medicareFee: 0,
    realFee: fee,
  };
}

const byOrder = (orderId: string) => ({
  orderId,
  startDate: today,
  endDate: addDays(today, 7),
  queryType: 0,
  currentPage: 1,
  pageSize: 10,
});

describe("demo HIS", () => {
  it("answers TestNet with the Asia/Shanghai time", async () => {
    const reply = await demoHis().call("TestNet", { ip: "127.0.0.1" });
    expect(reply.resultCode).toBe("SUCCESS");
    expect(reply.data!.systemTime.slice(0, 10)).toBe(shanghaiNow().date);
  });

  it("publishes departments in two levels, doctors with dictionary titles, a week of schedules and time slots", async () => {
    const his = demoHis();
    const depts = await his.call("GetDepartmentInfo", { currentPage: 1, pageSize: 50 });
    expect(depts.data!.count).toBe(9);
    expect(depts.data!.department.filter((d: any) => d.parentId === "-1")).toHaveLength(3);
    expect(
      (await his.call("GetDepartmentInfo", { departmentId: "0302", currentPage: 1, pageSize: 10 })).data!.department[0]
        .name,
    ).toBe("儿科");
    expect(
      (await his.call("GetDepartmentInfo", { departmentId: "9999", currentPage: 1, pageSize: 10 })).resultCode,
    ).toBe("S05010101");

    const doctors = await his.call("GetDoctorInfo", { currentPage: 1, pageSize: 50 });
    expect(doctors.data!.count).toBe(20);
    expect(new Set(doctors.data!.doctor.map((d: any) => d.professionTitle))).toEqual(new Set([231, 232, 233, 234]));
    const internal = await his.call("GetDoctorInfo", { departmentId: "01", currentPage: 1, pageSize: 50 });
    expect(new Set(internal.data!.doctor.map((d: any) => d.departmentId))).toEqual(new Set(["0101", "0102"]));
    expect((await his.call("GetDoctorInfo", { doctorId: "D999", currentPage: 1, pageSize: 10 })).resultCode).toBe(
      "S05010201",
    );

    const week = await his.call("GetScheduleInfo", {
      departmentId: "0202",
      startDate: today,
      endDate: addDays(today, 6),
      currentPage: 1,
      pageSize: 10,
    });
    const dates = new Set(week.data!.schedule.flatMap((s: any) => s.date.map((d: any) => d.registerDate)));
    expect(dates.size).toBe(7);
    expect(
      new Set(week.data!.schedule.flatMap((s: any) => s.date.flatMap((d: any) => d.noon.map((n: any) => n.noon)))),
    ).toEqual(new Set([1, 2]));
    const past = await his.call("GetScheduleInfo", {
      departmentId: "0202",
      startDate: "2020-01-01",
      endDate: "2020-01-02",
      currentPage: 1,
      pageSize: 10,
    });
    expect(past.resultCode).toBe("S05010301");

    const slot = await openSlot(his);
    expect(slot.time.remainCount).toBeGreaterThan(0);
    const wrong = await his.call("GetScheduleTimeInfo", {
      departmentId: "0101",
      doctorId: "D999",
      registerDate: today,
      noon: 1,
    });
    expect(wrong.resultCode).toBe("S05010401");
  });

  it("books by following its own data: first department (a parent), its first free slot, book it", async () => {
    const his = demoHis();
    const first = (await his.call("GetDepartmentInfo", { currentPage: 1, pageSize: 10 })).data!.department[0];
    expect(first).toMatchObject({ id: "01", parentId: "-1" });
    // The schedules listed under 01 内科 belong to its children; the times and the order name the department the
    // schedule was listed under.
    const slot = await openSlot(his, first.id);
    expect(slot.departmentId).toBe("01");
    const order = await his.call("OrderRegister", orderRegister(slot, "ORD-PARENT-1"));
    expect(order.resultCode, order.resultMessage).toBe("SUCCESS");
    const query = await his.call("QueryRegister", byOrder("ORD-PARENT-1"));
    expect(["0101", "0102"]).toContain(query.data!.order[0].departmentId);
    // A department that does not hold the schedule is still refused.
    const other = await his.call("OrderRegister", { ...orderRegister(slot, "ORD-PARENT-2"), departmentId: "02" });
    expect(other.resultCode).toBe("S05010705");
  });

  it("registers, pays (once), refunds, and shows each step in QueryRegister", async () => {
    const his = demoHis();
    const slot = await openSlot(his);
    const order = await his.call("OrderRegister", orderRegister(slot, "ORD-LIFE-1"));
    expect(order.resultCode, order.resultMessage).toBe("SUCCESS");
    expect(order.data).toMatchObject({ patientId: "P000001", isConcessions: 0, cardType: 7, cardNo: "70000001" });
    const { hospitalOrderId } = order.data!;
    expect((await his.call("OrderRegister", orderRegister(slot, "ORD-LIFE-1"))).resultCode).toBe("S05010706");

    let q = await his.call("QueryRegister", byOrder("ORD-LIFE-1"));
    expect(q.data!.order[0]).toMatchObject({
      hospitalOrderId,
      isPay: 0,
      isCancel: 0,
      isRefund: 0,
      refundlFee: 0,
      noshow: 0,
      timeId: slot.time.id,
    });

    expect(await his.call("Pay", pay("NO-SUCH-ORDER", "X", total(slot), "WX-0"))).toMatchObject({
      resultCode: "S02000101",
    });
    expect(await his.call("Pay", pay("ORD-LIFE-1", hospitalOrderId, total(slot) - 1, "WX-1"))).toMatchObject({
      resultCode: "S02000105",
    });
    const paid = await his.call("Pay", pay("ORD-LIFE-1", hospitalOrderId, total(slot), "WX-1"));
    expect(paid.resultCode, paid.resultMessage).toBe("SUCCESS");
    const { hospitalTradeId } = paid.data!;
    expect(paid.data!.business[0].clinicNo).toBe(order.data!.clinicNo);
    expect((await his.call("Pay", pay("ORD-LIFE-1", hospitalOrderId, total(slot), "WX-1"))).resultCode).toBe(
      "S02000107",
    );
    expect((await his.call("Pay", pay("ORD-LIFE-1", hospitalOrderId, total(slot), "WX-2"))).resultCode).toBe(
      "S02000102",
    );

    q = await his.call("QueryRegister", byOrder("ORD-LIFE-1"));
    expect(q.data!.order[0]).toMatchObject({ isPay: 1, hospitalTradeId, payTime: now.datetime, isRefund: 0 });
    // Paid orders are not cancelled by NotifyRegister: they are refunded.
    const cancel = {
      notifyType: 1,
      orderId: "ORD-LIFE-1",
      hospitalOrderId,
      notifyTime: now.datetime,
      reason: "行程有变",
    };
    expect((await his.call("NotifyRegister", cancel)).resultCode).toBe("S05010802");

    const refund = {
      businessType: 1,
      orderId: "ORD-LIFE-1",
      hospitalOrderId,
      tradeId: "PAYWX-1",
      hospitalTradeId,
      refundId: "RF-1",
      refundChannel: 1,
      refundType: 101,
      totalFee: total(slot),
      refundFee: total(slot),
      refundTime: now.datetime,
      reason: "用户申请退号",
      user: ZHANG_WEI,
    };
    expect((await his.call("Refund", { ...refund, refundId: "RF-0", refundFee: total(slot) + 1 })).resultCode).toBe(
      "S02000305",
    );
    const refunded = await his.call("Refund", refund);
    expect(refunded.data).toMatchObject({ refundFlag: 1 });
    const { hospitalRefundId } = refunded.data!;
    // A repeated refund request is answered 1 with the same refund (§2.1.2.2).
    expect((await his.call("Refund", refund)).data).toEqual({ hospitalRefundId, refundFlag: 1 });
    expect((await his.call("Refund", { ...refund, refundId: "RF-2" })).resultCode).toBe("S02000304");

    q = await his.call("QueryRegister", { ...byOrder(""), orderId: undefined, hospitalTradeId });
    expect(q.data!.order[0]).toMatchObject({
      orderId: "ORD-LIFE-1",
      isPay: 1,
      isRefund: 1,
      refundlFee: total(slot),
      isCancel: 1,
    });

    const notify = {
      businessType: 1,
      orderId: "ORD-LIFE-1",
      tradeId: "PAYWX-1",
      hospitalRefundId,
      refundId: "RF-1",
      totalFee: total(slot),
      refundFee: total(slot),
      refundTime: now.datetime,
    };
    expect((await his.call("NotifyRefund", notify)).resultCode).toBe("SUCCESS");
    expect((await his.call("NotifyRefund", notify)).resultCode).toBe("SUCCESS");
    expect((await his.call("NotifyRefund", { ...notify, refundFee: 1 })).resultCode).toBe("S02000402");
    expect((await his.call("NotifyRefund", { ...notify, orderId: "NOPE" })).resultCode).toBe("S02000401");

    const statement = await his.call("GetStatement", { startDate: today, endDate: today });
    expect(statement.data).toMatchObject({ totalCount: 2, totalAmount: total(slot), refundAmount: total(slot) });
    expect(statement.data!.transaction.map((t: any) => t.transactionType)).toEqual([1, 2]);
    expect((await his.call("GetStatement", { startDate: "2020-01-01", endDate: "2020-01-01" })).resultCode).toBe(
      "S02000501",
    );
  });

  it("cancels an unpaid registration and puts the number back", async () => {
    const his = demoHis();
    const slot = await openSlot(his);
    const order = await his.call("OrderRegister", orderRegister(slot, "ORD-CANCEL-1"));
    expect(order.resultCode, order.resultMessage).toBe("SUCCESS");
    const remainOf = async () =>
      (
        await his.call("GetScheduleTimeInfo", {
          departmentId: slot.departmentId,
          doctorId: slot.doctorId,
          registerDate: slot.registerDate,
          noon: slot.noon.noon,
          scheduleId: slot.noon.id,
        })
      ).data!.time.find((t: any) => t.id === slot.time.id).remainCount;
    expect(await remainOf()).toBe(slot.time.remainCount - 1);

    const cancel = {
      notifyType: 1,
      orderId: "ORD-CANCEL-1",
      hospitalOrderId: order.data!.hospitalOrderId,
      notifyTime: now.datetime,
      reason: "行程有变",
    };
    expect((await his.call("NotifyRegister", cancel)).resultCode).toBe("SUCCESS");
    // Cancelling again is answered SUCCESS (§2.1.4.1.6).
    expect((await his.call("NotifyRegister", cancel)).resultCode).toBe("SUCCESS");
    expect((await his.call("NotifyRegister", { ...cancel, notifyType: 2 })).resultCode).toBe("S05010803");
    expect((await his.call("NotifyRegister", { ...cancel, orderId: "NOPE" })).resultCode).toBe("S05010801");
    expect(await remainOf()).toBe(slot.time.remainCount);

    const q = await his.call("QueryRegister", byOrder("ORD-CANCEL-1"));
    expect(q.data!.order[0]).toMatchObject({ isCancel: 1, isPay: 0, cancelTime: now.datetime });
    expect(
      (await his.call("Pay", pay("ORD-CANCEL-1", order.data!.hospitalOrderId, total(slot), "WX-C"))).resultCode,
    ).toBe("S02000103");
  });

  it("finds a user's orders by rules and dates, and takes a number at the kiosk", async () => {
    const his = demoHis();
    const slot = await openSlot(his);
    const order = await his.call(
      "OrderRegister",
      orderRegister(slot, "ORD-TAKE-1", [{ id: "card", type: "7", value: "70000002" }], {
        name: "李娜",
        sex: 2,
        birthday: "1990-07-21",
        mobile: "13800000002",
      }),
    );
    expect(order.data!.patientId).toBe("P000002");
    const take = {
      notifyType: 2,
      orderId: "ORD-TAKE-1",
      hospitalOrderId: order.data!.hospitalOrderId,
      notifyTime: now.datetime,
    };
    expect((await his.call("NotifyRegister", take)).resultCode).toBe("SUCCESS");
    const mine = {
      user: [{ id: "certifcate", type: "1", value: "610103199007214321" }],
      startDate: today,
      endDate: addDays(today, 7),
      queryType: 0,
      currentPage: 1,
      pageSize: 10,
    };
    const q = await his.call("QueryRegister", mine);
    expect(q.data!.order).toHaveLength(1);
    expect(q.data!.order[0]).toMatchObject({ orderId: "ORD-TAKE-1", isTake: 1, isPay: 2, takeTime: now.datetime });
    expect((await his.call("QueryRegister", { ...mine, queryType: 2 })).resultCode).toBe("S05010901");
    expect(
      (await his.call("QueryRegister", { ...mine, user: [{ id: "certifcate", value: "000000000000000000" }] }))
        .resultCode,
    ).toBe("S05010902");
    expect((await his.call("NotifyRegister", { ...take, notifyType: 1, reason: "x" })).resultCode).toBe("S05010804");
  });

  it("applies the registration rules", async () => {
    const his = demoHis();
    const slot = await openSlot(his, "0101", 2);
    const mismatch = await his.call(
      "OrderRegister",
      orderRegister(slot, "ORD-R1", [...ZHANG_WEI, { id: "card", type: "7", value: "70000002" }]),
    );
    expect(mismatch.resultCode).toBe("S05010709");
    expect(
      (await his.call("OrderRegister", orderRegister(slot, "ORD-R2", [...ZHANG_WEI, { id: "name", value: "李四" }])))
        .resultCode,
    ).toBe("S05010710");
    expect(
      (await his.call("OrderRegister", { ...orderRegister(slot, "ORD-R3"), scheduleId: "20200101D0011" })).resultCode,
    ).toBe("S05010705");
    expect((await his.call("OrderRegister", { ...orderRegister(slot, "ORD-R4"), registerFee: 1 })).resultCode).toBe(
      "S05010701",
    );
    const gyn = await openSlot(his, "0301");
    expect((await his.call("OrderRegister", orderRegister(gyn, "ORD-R5"))).resultCode).toBe("S05010702");
    // Without a timeId the first time slot with numbers left is taken.
    const anySlot = { timeId: undefined, startTime: undefined, endTime: undefined };
    // A first visit registers the patient (建档) from the order.
    const newcomer = await his.call("OrderRegister", {
      ...orderRegister(slot, "ORD-R6", [{ id: "certifcate", type: "1", value: "610104200001011111" }], {
        name: "赵六",
        sex: 1,
        birthday: "2000-01-01",
        mobile: "13900000006",
      }),
      ...anySlot,
    });
    expect(newcomer.resultCode, newcomer.resultMessage).toBe("SUCCESS");
    expect(newcomer.data!.patientId).toMatch(/^P\d{6}$/);
    expect((await his.call("OrderRegister", { ...orderRegister(slot, "ORD-R7"), ...anySlot })).resultCode).toBe(
      "SUCCESS",
    );
    // One number per patient and schedule.
    expect((await his.call("OrderRegister", { ...orderRegister(slot, "ORD-R8"), ...anySlot })).resultCode).toBe(
      "S05010701",
    );
  });

  it("keeps patients: register, look up, check cards", async () => {
    const his = demoHis();
    const info = await his.call("GetPatientInfo", { user: ZHANG_WEI });
    expect(info.data).toMatchObject({ patientId: "P000001", name: "张伟", patientFlag: 0 });
    expect(info.data!.patient[0].card.map((c: any) => c.cardNo)).toEqual(["70000001", "610100000000000001"]);
    expect(
      (await his.call("GetPatientInfo", { user: [...ZHANG_WEI, { id: "mobile", value: "13000000000" }] })).resultCode,
    ).toBe("S03000202");
    expect((await his.call("GetPatientInfo", { user: [{ id: "card", value: "0" }] })).resultCode).toBe("S03000201");
    const child = await his.call("GetPatientInfo", { user: [{ id: "parentCertifcate", value: "610103199007214321" }] });
    expect(child.data).toMatchObject({ patientId: "P000003", patientType: 0, patientFlag: 1 });

    const created = await his.call("CreatePatient", {
      patientType: 1,
      certifcateType: 1,
      certifcateNo: "610113199912121212",
      name: "钱七",
      sex: 2,
      birthday: "1999-12-12",
      mobile: "13900000007",
    });
    expect(created.resultCode).toBe("SUCCESS");
    const again = await his.call("CreatePatient", {
      patientType: 1,
      certifcateType: 1,
      certifcateNo: "610113199912121212",
      name: "钱七",
      sex: 2,
      birthday: "1999-12-12",
      mobile: "13900000007",
    });
    expect(again.data!.patientId).toBe(created.data!.patientId);
    expect(
      (
        await his.call("CreatePatient", {
          patientType: 1,
          certifcateType: 1,
          certifcateNo: "610113199912121212",
          name: "孙八",
          sex: 2,
          birthday: "1999-12-12",
          mobile: "1",
        })
      ).resultCode,
    ).toBe("S03000101");
    expect(
      (await his.call("GetPatientInfo", { user: [{ id: "id", value: created.data!.patientId }] })).data!.name,
    ).toBe("钱七");

    const card = {
      patientType: 1,
      certifcateType: 1,
      certifcateNo: "210102199001012010",
      cardType: 2,
      cardNo: "SMK0000005",
      name: "测试",
      sex: 2,
      birthday: "1990-01-01",
    };
    expect((await his.call("CheckCard", card)).data).toMatchObject({ medicalNo: "M000005", cardStatus: 1 });
    expect((await his.call("CheckCard", { ...card, name: "别人" })).resultCode).toBe("S03000301");
  });

  it("reports stops", async () => {
    const his = demoHis();
    const stops = await his.call("QueryStopRegister", {
      departmentId: "01",
      startDate: today,
      endDate: addDays(today, 6),
      currentPage: 1,
      pageSize: 50,
    });
    // The seeded week may or may not have stops; both answers are the contract's.
    expect(["SUCCESS", "S05011101"]).toContain(stops.resultCode);
  });
});

describe("demo HIS behind the gateway (npm run dev)", () => {
  function devGateway() {
    const store = memoryStore();
    const DEMO_HIS = {
      fetch: (input: Request | string, init?: RequestInit) => demo.fetch(new Request(input, init), { store }),
    };
    const tenant = {
      partner: "TEST_WX",
      hospitalCode: "0",
      key: SEED_KEY,
      hisService: "DEMO_HIS",
      hisUrl: "http://demo-his",
      hisToken: "dev-his-token",
      platformService: "DEMO_HIS",
      platformUrl: "http://demo-his/platform-api",
      platformFormat: "json",
    };
    const gw = gateway(() => new Response("the demo HIS answers, not the stub", { status: 500 }), [tenant], {
      DEMO_HIS,
    });
    const platform = async (
      service: string,
      body: unknown,
    ): Promise<Reply & { statementRows?: Record<string, string>[] }> => {
      const res = await gw.fetch(
        `/platform/${service}`,
        post(JSON.stringify(body), { authorization: "Bearer dev-his-token", "content-type": "application/json" }),
      );
      return (await res.json()) as Reply;
    };
    return { gw, his: demoHis(store), platform };
  }

  it("answers the seed's NetTest envelope with the demo HIS's time", async () => {
    const { gw } = devGateway();
    const body =
      '<?xml version="1.0" encoding="utf-8"?><root><service><![CDATA[NetTest]]></service><partner><![CDATA[TEST_WX]]></partner><hospitalCode><![CDATA[0]]></hospitalCode><dataFormat><![CDATA[xml]]></dataFormat><inputCharset><![CDATA[utf-8]]></inputCharset><signType><![CDATA[md5]]></signType><sign><![CDATA[389F6997DA8530F147D4AD7AF41C5C30]]></sign><requestEncrypted><![CDATA[oJ5JYA4Q33sBLcRr98DeEyB83BVT5Iec5O7okvxPm111P3hBM/g1/eLAxm7Iaos/Yw9ZCsw3CtC0Q6j6X9C+CQ==]]></requestEncrypted></root>';
    const reply = refReadReply(await (await gw.fetch("/wd/api", post(body))).text());
    expect(reply.resultCode, reply.resultMessage).toBe("SUCCESS");
    expect(refReplySignatureOk(reply)).toBe(true);
    const plain = refDecrypt(reply.responseEncrypted!, SEED_KEY);
    expect(plain).toMatch(
      new RegExp(`^<response><systemTime>(<!\\[CDATA\\[)?${shanghaiNow().date} \\d{2}:\\d{2}:\\d{2}`),
    );
  });

  it("plays the platform: RefundByHis, QueryRefund, DownloadStatement, StopRegister, NotifyRegisterByHis", async () => {
    const { his, platform } = devGateway();
    const slot = await openSlot(his);
    const order = await his.call("OrderRegister", orderRegister(slot, "ORD-P-1"));
    const { hospitalOrderId } = order.data!;
    const paid = await his.call("Pay", pay("ORD-P-1", hospitalOrderId, total(slot), "WX-P-1"));
    expect(paid.resultCode).toBe("SUCCESS");

    const refundByHis = {
      businessType: 1,
      refundFlag: 1,
      callback: 0,
      orderId: "ORD-P-1",
      hospitalOrderId,
      hospitalRefundId: "HR-DEMO-1",
      refundTime: now.datetime,
      totalFee: total(slot),
      refundFee: 100,
      reason: "部分退费",
    };
    const refunded = await platform("RefundByHis", refundByHis);
    expect(refunded.resultCode, refunded.resultMessage).toBe("SUCCESS");
    expect(refunded.data!.refundId).toMatch(/^PR\d+/);
    expect(
      (await platform("RefundByHis", { ...refundByHis, hospitalRefundId: "HR-DEMO-2", refundFee: total(slot) }))
        .resultCode,
    ).toBe("A02000102");
    expect((await platform("RefundByHis", { ...refundByHis, orderId: "NOPE" })).resultCode).toBe("A02000101");

    const queried = await platform("QueryRefund", { businessType: 1, hospitalRefundId: "HR-DEMO-1" });
    expect(queried.data).toMatchObject({
      orderId: "ORD-P-1",
      refundId: refunded.data!.refundId,
      refundFee: 100,
      refundCount: 1,
      refundStatus: 1,
    });
    expect((await platform("QueryRefund", { businessType: 1, hospitalRefundId: "R1" })).resultCode).toBe("A02000201");
    // A refund the platform asked the hospital for (Refund) is known to QueryRefund too.
    const hisRefund = await his.call("Refund", {
      businessType: 1,
      orderId: "ORD-P-1",
      tradeId: "PAYWX-P-1",
      hospitalTradeId: paid.data!.hospitalTradeId,
      refundId: "RF-P-2",
      refundChannel: 1,
      refundType: 101,
      totalFee: total(slot),
      refundFee: 100,
      refundTime: now.datetime,
      reason: "部分退费",
      user: ZHANG_WEI,
    });
    expect(hisRefund.resultCode, hisRefund.resultMessage).toBe("SUCCESS");
    const secondRefund = await platform("QueryRefund", {
      businessType: 1,
      hospitalRefundId: hisRefund.data!.hospitalRefundId,
    });
    expect(secondRefund.data).toMatchObject({ refundId: "RF-P-2", refundCount: 2, refundStatus: 1 });

    const statement = await platform("DownloadStatement", { statementDate: today });
    expect(statement.resultCode, statement.resultMessage).toBe("SUCCESS");
    expect(statement.data!.statement.split("\r\n")).toHaveLength(4);
    expect(statement.statementRows!.map((r) => r["交易类型"])).toEqual(["支付", "退款", "退款"]);
    expect((await platform("DownloadStatement", { statementDate: "2020-01-01" })).resultCode).toBe("A02000301");

    const stop = {
      departmentId: slot.departmentId,
      doctorId: slot.doctorId,
      date: slot.registerDate,
      noon: slot.noon.noon,
      reason: "医生临时外出会诊",
      callback: 0,
      isRefund: 0,
    };
    expect((await platform("StopRegister", stop)).resultCode).toBe("SUCCESS");
    expect((await platform("StopRegister", stop)).resultCode).toBe("A05010101");
    expect((await platform("StopRegister", { ...stop, doctorId: "D999" })).resultCode).toBe("A05010102");
    const q = await his.call("QueryRegister", byOrder("ORD-P-1"));
    expect(q.data!.order[0]).toMatchObject({ isStop: 1, isCancel: 1, isRefund: 1, refundlFee: total(slot) });
    const stops = await his.call("QueryStopRegister", {
      departmentId: slot.departmentId,
      doctorId: slot.doctorId,
      startDate: slot.registerDate,
      endDate: slot.registerDate,
      currentPage: 1,
      pageSize: 10,
    });
    expect(stops.data!.stop.map((s: any) => s.scheduleId)).toContain(slot.noon.id);

    const other = await openSlot(his, "0202");
    const second = await his.call("OrderRegister", orderRegister(other, "ORD-P-2"));
    const notify = {
      notifyType: 3,
      orderId: "ORD-P-2",
      hospitalOrderId: second.data!.hospitalOrderId,
      notifyTime: now.datetime,
      callback: 0,
      isRefund: 1,
    };
    expect((await platform("NotifyRegisterByHis", notify)).resultCode).toBe("SUCCESS");
    expect((await his.call("QueryRegister", byOrder("ORD-P-2"))).data!.order[0].isTake).toBe(1);
    expect((await platform("NotifyRegisterByHis", { ...notify, orderId: "NOPE" })).resultCode).toBe("A05010201");
  });

  it("answered every one of the 16 services with SUCCESS at least once", () => {
    expect([...HIS_SERVICES].filter((s) => !succeeded.has(s))).toEqual([]);
  });
});
