// KY-HIS, the demo legacy HIS (demo/legacy-his, API.md), spoken to in its own dialects with no hisgate in between:
// REST JSON with {code:"1"} and snake_case, UPPERCASE XML departments, SOAP Call(FuncCode, inputXml) for payments.
// profiles/demo-legacy.yaml is written from API.md, so these tests hold the HIS to that document: field names, units,
// "no value" markers, paging and every result code the document lists.
import { XMLParser } from "fast-xml-parser";
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../../demo/legacy-his/src/app.js";
import { addDays, memoryStore, scheduleKey, shanghaiNow, type Schedule } from "../../demo/his/src/data.js";

const store = memoryStore();
const now = shanghaiNow();
const today = now.date;
const compact = (date: string) => date.replaceAll("-", "");
/** A Beijing date's midnight in Unix seconds, computed apart from the HIS's own helper. */
const unix = (date: string) => Date.parse(`${date}T00:00:00+08:00`) / 1000;
const KEY = { "x-api-key": "demo-legacy-key" };
const MONEY = /^\d+\.\d{2}$/;

interface Answer {
  code: string;
  message: string;
  data: any;
}

async function rest(path: string, body: unknown, headers: Record<string, string> = KEY): Promise<Answer> {
  const res = await app.fetch(
    new Request(`http://legacy-his/his/api/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
    { store },
  );
  expect(res.status).toBe(200);
  const answer = (await res.json()) as Answer;
  expect(Object.keys(answer).sort()).toEqual(["code", "data", "message"]);
  if (answer.code !== "1") expect(answer.data).toBeNull();
  return answer;
}

const ok = async (path: string, body: unknown): Promise<any> => {
  const answer = await rest(path, body);
  expect(answer, `${path}: ${answer.message}`).toMatchObject({ code: "1", message: "成功" });
  return answer.data;
};

// An independent reading of the XML (not the HIS's own reader): values as text, arrays where the document repeats.
const xmlReader = new XMLParser({
  ignoreAttributes: false,
  removeNSPrefix: true,
  parseTagValue: false,
  isArray: (name) => ["RECORD", "detail"].includes(name),
});

async function queryDept(body: string): Promise<{ STATE: string; MSG: string; DATA: any }> {
  const res = await app.fetch(
    new Request("http://legacy-his/his/xml/QueryDept", {
      method: "POST",
      headers: { "content-type": "text/xml; charset=utf-8" },
      body,
    }),
    { store },
  );
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/xml");
  const text = await res.text();
  expect(text.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
  return xmlReader.parse(text).RESPONSE;
}

const escapeXml = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

function soapEnvelope(funcCode: string, inputXml: string, cdata: boolean): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' +
    `<Call xmlns="http://tempuri.org/"><FuncCode>${funcCode}</FuncCode>` +
    `<inputXml>${cdata ? `<![CDATA[${inputXml}]]>` : escapeXml(inputXml)}</inputXml></Call>` +
    "</soap:Body></soap:Envelope>"
  );
}

async function soapPost(body: string): Promise<Response> {
  return app.fetch(
    new Request("http://legacy-his/his/ws/ChargeService.asmx", {
      method: "POST",
      headers: { "content-type": "text/xml; charset=utf-8", soapaction: '"http://tempuri.org/Call"' },
      body,
    }),
    { store },
  );
}

/** One Call: the CallResult string, read as the <response> it holds. */
async function call(
  funcCode: string,
  params: Record<string, string | number>,
  { cdata = false } = {},
): Promise<{ resultCode: string; resultMessage: string; result: any }> {
  const inputXml = `<request><params>${Object.entries(params)
    .map(([k, v]) => `<${k}>${escapeXml(String(v))}</${k}>`)
    .join("")}</params></request>`;
  const res = await soapPost(soapEnvelope(funcCode, inputXml, cdata));
  expect(res.status).toBe(200);
  const envelope = xmlReader.parse(await res.text());
  const callResult = envelope.Envelope.Body.CallResponse.CallResult;
  // The result is a string of XML inside the SOAP body, not child elements.
  expect(typeof callResult).toBe("string");
  expect(callResult.startsWith("<response>")).toBe(true);
  return xmlReader.parse(callResult).response;
}

/** An open half-day from tomorrow on, found the way a platform would: flat schedule rows, then its periods. */
async function openPeriod(deptId = "0101", atLeast = 1) {
  const rows: any[] = await ok("schedule/list", {
    dept_id: deptId,
    begin_time: unix(addDays(today, 1)),
    end_time: unix(addDays(today, 5)),
  });
  for (const row of rows) {
    if (row.state !== "0" || row.remain_num < atLeast) continue;
    const periods: any[] = await ok("schedule/periods", {
      dept_id: row.dept_id,
      doctor_code: row.doctor_code,
      clinic_date: row.clinic_date,
      noon_name: row.noon_name,
    });
    const period = periods.find((p) => p.schedule_id === row.schedule_id && p.remain_num >= atLeast);
    if (period) return { row, period };
  }
  throw new Error("no open period in the seeded week");
}

type Open = Awaited<ReturnType<typeof openPeriod>>;

const ZHANG_WEI = {
  query_type: "1",
  query_value: "610102198503121234",
  query_sub_type: "1",
  patient_name: "张伟",
  sex: "M",
  birth_date: "19850312",
  phone: "13800000001",
  child_flag: "N",
};

function booking(open: Open, orderNo: string, patient: Record<string, string> = ZHANG_WEI) {
  return {
    platform_order_no: orderNo,
    channel_code: "WX",
    schedule_id: open.row.schedule_id,
    period_id: open.period.period_id,
    dept_id: open.row.dept_id,
    doctor_code: open.row.doctor_code,
    clinic_date: open.row.clinic_date,
    noon_name: open.row.noon_name,
    reg_fee: open.row.reg_fee,
    diag_fee: open.row.diag_fee,
    service_fee: open.row.service_fee,
    other_fee: open.row.other_fee,
    reg_type: "2",
    ...patient,
    order_time: now.datetime,
  };
}

/** register/query's row, field by field as API.md §4.10 lists it. */
const ORDER_ROW_KEYS = [
  "platform_order_no",
  "his_order_no",
  "his_pay_no",
  "invoice_no",
  "visit_no",
  "channel_code",
  "schedule_id",
  "period_id",
  "dept_id",
  "dept_name",
  "doctor_code",
  "doctor_name",
  "clinic_date",
  "noon_name",
  "begin_time",
  "end_time",
  "seq_no",
  "visit_address",
  "take_time",
  "reg_fee",
  "diag_fee",
  "service_fee",
  "other_fee",
  "total_amount",
  "pay_amount",
  "order_time",
  "pay_state",
  "pay_time",
  "take_flag",
  "checkin_time",
  "cancel_flag",
  "cancel_time",
  "refund_state",
  "refund_amount",
  "stop_flag",
  "noshow_flag",
  "patient_id",
  "medical_no",
  "id_type",
  "id_no",
  "card_type",
  "card_no",
  "patient_name",
  "sex",
  "birth_date",
  "address",
  "phone",
  "remark",
];

/** 元 text -> 分, by string arithmetic of the test's own. */
const fen = (yuan: string) => Number(yuan.replace(".", ""));
const yuan = (f: number) => `${Math.trunc(f / 100)}.${String(f % 100).padStart(2, "0")}`;

function payParams(orderNo: string, hisOrderNo: string, amount: string, outTradeNo: string) {
  return {
    bizType: 1,
    ptOrderNo: orderNo,
    hisOrderNo,
    tradeNo: `T${orderNo}`,
    outTradeNo,
    payTime: now.datetime,
    payMode: 2,
    payChannel: 1,
    payType: 101,
    totalAmt: amount,
    payableAmt: amount,
    discountAmt: "0.00",
    insuranceAmt: "0.00",
    selfAmt: amount,
  };
}

beforeAll(async () => {
  // Seeds the hospital (every interface does on first use).
  await ok("doctor/list", { page: 1, page_size: 1 });
});

describe("REST conventions (API.md §1)", () => {
  it("refuses a call without the right X-Api-Key with 1002", async () => {
    for (const headers of [{}, { "x-api-key": "wrong" }] as Record<string, string>[]) {
      const answer = await rest("doctor/list", { page: 1, page_size: 1 }, headers);
      expect(answer.code).toBe("1002");
    }
  });

  it("answers ping with the time in Unix seconds", async () => {
    const res = await app.fetch(new Request("http://legacy-his/his/api/ping?client_ip=127.0.0.1", { headers: KEY }), {
      store,
    });
    const answer = (await res.json()) as Answer;
    expect(answer).toMatchObject({ code: "1", message: "成功", data: { version: "3.2" } });
    expect(Number.isInteger(answer.data.server_time)).toBe(true);
    expect(Math.abs(answer.data.server_time - Date.now() / 1000)).toBeLessThan(120);
  });

  it("answers a body that is not JSON, a missing field and a money value with three decimals with 1001", async () => {
    expect((await rest("doctor/list", "{not json")).code).toBe("1001");
    const missing = await rest("doctor/list", { page: 1 });
    expect(missing.code).toBe("1001");
    expect(missing.message).toContain("page_size");
    const open = await openPeriod();
    const threeDecimals = await rest("register/create", { ...booking(open, "LGX-MONEY"), reg_fee: "1.005" });
    expect(threeDecimals.code).toBe("1001");
    expect(threeDecimals.message).toContain("reg_fee");
  });

  it("answers an unknown path with 404 and code -1", async () => {
    const res = await app.fetch(new Request("http://legacy-his/his/api/nothing", { method: "POST", headers: KEY }), {
      store,
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ code: "-1", message: "接口不存在", data: null });
  });
});

describe("QueryDept, UPPERCASE XML (API.md §3)", () => {
  it("lists every department, retired ones with FLAG 0, top level with parent 0000", async () => {
    const all = await queryDept("<PARAMETER><DEPTID></DEPTID></PARAMETER>");
    expect(all.STATE).toBe("1");
    const records: Record<string, string>[] = all.DATA.RECORD;
    expect(Object.keys(records[0]!)).toEqual([
      "DEPTID",
      "DEPTNAME",
      "PARENTID",
      "DEPTLEVEL",
      "DEPTINTRO",
      "DEPTSPECIAL",
      "ADDRESS",
      "TEL",
      "NOTICE",
      "FLAG",
    ]);
    const byId = new Map(records.map((r) => [r.DEPTID, r]));
    expect(byId.get("01")).toMatchObject({ DEPTNAME: "内科", PARENTID: "0000", DEPTLEVEL: "1", FLAG: "1" });
    expect(byId.get("0101")).toMatchObject({ DEPTNAME: "心血管内科", PARENTID: "01", DEPTLEVEL: "2", FLAG: "1" });
    // Retired: still listed, FLAG 0, no-value fields as empty elements.
    expect(byId.get("0103")).toMatchObject({ PARENTID: "01", FLAG: "0", TEL: "", ADDRESS: "" });
    expect(byId.get("04")).toMatchObject({ PARENTID: "0000", FLAG: "0" });
    expect(records.filter((r) => r.FLAG === "1").map((r) => r.DEPTID)).toEqual([
      "01",
      "0101",
      "0102",
      "02",
      "0201",
      "0202",
      "03",
      "0301",
      "0302",
    ]);
    // Every parent id names a department or is 0000.
    for (const r of records) expect(r.PARENTID === "0000" || byId.has(r.PARENTID)).toBe(true);
  });

  it("answers one department by DEPTID, STATE 0 for an unknown one and STATE -1 for broken XML", async () => {
    const one = await queryDept("<PARAMETER><DEPTID>0301</DEPTID></PARAMETER>");
    expect(one.STATE).toBe("1");
    expect(one.DATA.RECORD).toHaveLength(1);
    expect(one.DATA.RECORD[0]).toMatchObject({ DEPTID: "0301", DEPTNAME: "妇科" });
    const none = await queryDept("<PARAMETER><DEPTID>9999</DEPTID></PARAMETER>");
    expect(none).toEqual({ STATE: "0", MSG: "未查询到科室", DATA: "" });
    for (const broken of [
      "<PARAMETER><DEPTID>01</PARAMETER>",
      "<OTHER/>",
      '<!DOCTYPE x [<!ENTITY a "b">]><PARAMETER/>',
    ]) {
      const answer = await queryDept(broken);
      expect(Number(answer.STATE), broken).toBeLessThanOrEqual(0);
      expect(answer.STATE).toBe("-1");
    }
  });
});

describe("doctors, schedules, periods and stops (API.md §4.1-4.4)", () => {
  it("pages doctors by page/page_size with the total, [] past the end", async () => {
    const first = await ok("doctor/list", { dept_id: "0101", page: 1, page_size: 3 });
    expect(first).toMatchObject({ total: 4, page: 1, page_size: 3 });
    expect(first.list.map((d: any) => d.doctor_code)).toEqual(["D001", "D002", "D003"]);
    const second = await ok("doctor/list", { dept_id: "0101", page: 2, page_size: 3 });
    expect(second.list.map((d: any) => d.doctor_code)).toEqual(["D004"]);
    expect((await ok("doctor/list", { dept_id: "0101", page: 3, page_size: 3 })).list).toEqual([]);
    // A first-level department includes its sub-departments' doctors.
    expect((await ok("doctor/list", { dept_id: "01", page: 1, page_size: 1 })).total).toBe(7);
    expect(await ok("doctor/list", { dept_id: "9999", page: 1, page_size: 5 })).toEqual({
      total: 0,
      page: 1,
      page_size: 5,
      list: [],
    });
    expect(first.list[0]).toEqual({
      doctor_code: "D001",
      doctor_name: "王建国",
      dept_id: "0101",
      dept_name: "心血管内科",
      sex: "M",
      birth_date: expect.stringMatching(/^1965\d{4}$/),
      title_name: "主任医师",
      title_level: "正高",
      good_at: "冠心病介入治疗、复杂心律失常",
      intro: expect.stringContaining("王建国"),
      tel: expect.any(String),
      mobile: "",
      photo_url: expect.any(String),
      sort_no: 1,
      status: "1",
    });
    expect(first.list[1]).toMatchObject({
      doctor_name: "刘芳",
      sex: "F",
      title_name: "副主任医师",
      title_level: "副高",
    });
  });

  it("gives schedules as flat rows, one per doctor x date x half-day, fees in 元", async () => {
    const rows: any[] = await ok("schedule/list", {
      dept_id: "01",
      begin_time: unix(today),
      end_time: unix(addDays(today, 6)),
    });
    expect(rows.length).toBeGreaterThan(20);
    const keys = new Set(rows.map((r) => `${r.doctor_code}|${r.clinic_date}|${r.noon_name}`));
    expect(keys.size).toBe(rows.length);
    expect(new Set(rows.map((r) => r.dept_id))).toEqual(new Set(["0101", "0102"]));
    for (const r of rows) {
      expect(["上午", "下午"]).toContain(r.noon_name);
      expect(["0", "1", "2"]).toContain(r.state);
      expect(r.clinic_date >= compact(today) && r.clinic_date <= compact(addDays(today, 6))).toBe(true);
      expect(r.begin_time).toMatch(/^\d{2}:\d{2}:00$/);
      expect(r.take_time).toMatch(/^\d{2}:\d{2}:00-\d{2}:\d{2}:00$/);
      for (const f of ["reg_fee", "diag_fee", "service_fee", "other_fee"]) expect(r[f]).toMatch(MONEY);
      // 分 in the records, 元 on the wire.
      const s = store.get<Schedule>(scheduleKey(r.schedule_id))!;
      expect(fen(r.reg_fee)).toBe(s.registerFee);
      expect(fen(r.diag_fee)).toBe(s.treatFee);
      expect(r.state).toBe({ 1: "0", 0: "1", 2: "2" }[s.status === 1 ? (r.state === "2" ? 2 : 1) : s.status]);
      // No limits in internal medicine: the no-value markers.
      expect([r.sex_limit, r.age_max, r.age_min]).toEqual(["", -1, -1]);
    }
    // Ordered by date, doctor, half-day.
    const order = rows.map((r) => `${r.clinic_date}|${r.doctor_code}|${r.noon_name === "上午" ? 1 : 2}`);
    expect(order).toEqual([...order].sort());
    expect(Object.keys(rows[0]!)).toEqual([
      "schedule_id",
      "dept_id",
      "dept_name",
      "doctor_code",
      "doctor_name",
      "clinic_date",
      "week_day",
      "noon_name",
      "begin_time",
      "end_time",
      "state",
      "total_num",
      "remain_num",
      "reg_fee",
      "diag_fee",
      "service_fee",
      "other_fee",
      "reg_level",
      "sex_limit",
      "age_max",
      "age_min",
      "visit_address",
      "take_address",
      "take_time",
      "has_period",
      "update_time",
    ]);
  });

  it("bounds schedules by Unix seconds (a day counts by its midnight, UTC+8) and limits carry over", async () => {
    const tomorrow = addDays(today, 1);
    const oneDay: any[] = await ok("schedule/list", {
      dept_id: "0301",
      begin_time: unix(tomorrow),
      end_time: unix(tomorrow) + 86_399,
    });
    expect(oneDay.length).toBeGreaterThan(0);
    expect(new Set(oneDay.map((r) => r.clinic_date))).toEqual(new Set([compact(tomorrow)]));
    expect(oneDay.every((r) => r.sex_limit === "F")).toBe(true);
    const children: any[] = await ok("schedule/list", {
      dept_id: "0302",
      begin_time: unix(tomorrow),
      end_time: unix(tomorrow),
    });
    expect(children.every((r) => r.age_max === 14)).toBe(true);
    expect(await ok("schedule/list", { dept_id: "9999", begin_time: unix(today), end_time: unix(today) })).toEqual([]);
    const tooLong = await rest("schedule/list", { dept_id: "01", begin_time: 0, end_time: unix(today) });
    expect(tooLong.code).toBe("1001");
  });

  it("lists the periods of a half-day, or of the whole day for 全天", async () => {
    const { row } = await openPeriod();
    const morning: any[] = await ok("schedule/periods", {
      dept_id: row.dept_id,
      doctor_code: row.doctor_code,
      clinic_date: row.clinic_date,
      noon_name: row.noon_name,
    });
    expect(morning.length).toBe(4);
    expect(morning.reduce((n, p) => n + p.total_num, 0)).toBe(row.total_num);
    expect(morning.reduce((n, p) => n + p.remain_num, 0)).toBe(row.remain_num);
    expect(Object.keys(morning[0])).toEqual([
      "schedule_id",
      "period_id",
      "noon_name",
      "begin_time",
      "end_time",
      "total_num",
      "remain_num",
      "state",
    ]);
    const day: any[] = await ok("schedule/periods", {
      dept_id: row.dept_id,
      doctor_code: row.doctor_code,
      clinic_date: row.clinic_date,
      noon_name: "全天",
    });
    expect(day.length).toBeGreaterThanOrEqual(morning.length);
    expect(
      await ok("schedule/periods", {
        dept_id: row.dept_id,
        doctor_code: "D999",
        clinic_date: row.clinic_date,
        noon_name: "上午",
      }),
    ).toEqual([]);
  });

  it("reports a stopped half-day in stops (yyyyMMdd bounds) and as state 1 in the schedule rows", async () => {
    const { row } = await openPeriod("0202");
    const s = store.get<Schedule>(scheduleKey(row.schedule_id))!;
    store.put(scheduleKey(s.id), { ...s, status: 0, stopReason: "医生外出会诊" });
    const stops: any[] = await ok("schedule/stops", {
      dept_id: "02",
      begin_date: compact(today),
      end_date: compact(addDays(today, 6)),
    });
    expect(stops).toContainEqual({
      schedule_id: row.schedule_id,
      dept_id: "0202",
      doctor_code: row.doctor_code,
      clinic_date: row.clinic_date,
      noon_name: row.noon_name,
      stop_reason: "医生外出会诊",
    });
    const rows: any[] = await ok("schedule/list", {
      dept_id: "0202",
      doctor_code: row.doctor_code,
      begin_time: unix(today),
      end_time: unix(addDays(today, 6)),
    });
    expect(rows.find((r) => r.schedule_id === row.schedule_id)).toMatchObject({ state: "1", remain_num: 0 });
    expect(await ok("schedule/stops", { dept_id: "0302", begin_date: "20000101", end_date: "20000102" })).toEqual([]);
    expect((await rest("schedule/stops", { dept_id: "02", begin_date: "2024-05-01", end_date: "20240501" })).code).toBe(
      "1001",
    );
  });
});

describe("patients and cards (API.md §4.5-4.7)", () => {
  it("creates a patient once, with a JZK card, and finds them by card", async () => {
    const body = {
      id_type: "01",
      id_no: "110101199001010011",
      guardian_flag: "N",
      patient_name: "赵测试",
      sex: "F",
      birth_date: "19900101",
      phone: "13900000011",
    };
    const created = await ok("patient/create", body);
    expect(created).toEqual({
      patient_id: expect.stringMatching(/^P\d+$/),
      medical_no: expect.stringMatching(/^M\d+$/),
      card_no: expect.any(String),
      create_time: now.datetime.slice(0, 10) + created.create_time.slice(10),
    });
    expect(await ok("patient/create", body)).toEqual(created);
    expect((await rest("patient/create", { ...body, patient_name: "钱测试" })).code).toBe("2003");
    const found = await ok("patient/query", { query_type: "2", query_value: created.card_no, query_sub_type: "7" });
    expect(found).toMatchObject({
      patient_id: created.patient_id,
      patient_name: "赵测试",
      sex: "F",
      birth_date: "19900101",
      id_type: "01",
      guardian_flag: "N",
      child_flag: "N",
      address: "",
      cards: [{ card_type: "JZK", card_no: created.card_no, card_state: "0", balance: "0.00", last_use_time: "" }],
    });
  });

  it("answers patient/query with 2001 for nobody, 2002 for a phone that does not match", async () => {
    const zhang = await ok("patient/query", {
      query_type: "1",
      query_value: "610102198503121234",
      phone: "13800000001",
    });
    expect(zhang).toMatchObject({
      patient_id: "P000001",
      medical_no: "M000001",
      record_state: "0",
      age: expect.any(Number),
    });
    expect(zhang.cards[0]).toEqual({
      card_type: "JZK",
      card_no: "70000001",
      card_state: "0",
      balance: "50.00",
      issue_time: "2024-03-01 09:00:00",
      last_use_time: "2024-09-18 10:12:00",
    });
    expect(zhang.cards[1]).toMatchObject({ card_type: "YBK", last_use_time: "" });
    const child = await ok("patient/query", { query_type: "3", query_value: "M000003" });
    expect(child).toMatchObject({ guardian_flag: "Y", child_flag: "Y" });
    expect(await rest("patient/query", { query_type: "1", query_value: "000000000000000000" })).toMatchObject({
      code: "2001",
      data: null,
    });
    expect((await rest("patient/query", { query_type: "1", query_value: "610102198503121234", phone: "1" })).code).toBe(
      "2002",
    );
    expect((await rest("patient/query", { query_type: "9", query_value: "x" })).code).toBe("1001");
  });

  it("verifies a card against the patient's papers (2005 when they disagree)", async () => {
    const body = {
      card_type: "JZK",
      card_no: "70000001",
      id_type: "01",
      id_no: "610102198503121234",
      patient_name: "张伟",
      sex: "M",
      birth_date: "19850312",
    };
    expect(await ok("card/verify", body)).toEqual({
      medical_no: "M000001",
      card_state: "0",
      issue_time: "2024-03-01 09:00:00",
      last_use_time: "2024-09-18 10:12:00",
    });
    expect((await rest("card/verify", { ...body, patient_name: "李娜" })).code).toBe("2005");
    expect((await rest("card/verify", { ...body, card_no: undefined, medical_no: "M000002" })).code).toBe("2005");
    expect((await rest("card/verify", { ...body, card_no: "" })).code).toBe("1001");
  });
});

describe("the booking lifecycle in KY-HIS's dialects", () => {
  it("books (REST), pays (SOAP), queries (REST), refunds (SOAP) and reconciles (SOAP)", async () => {
    const open = await openPeriod();
    const orderNo = `LG${Date.now()}A`;
    const booked = await ok("register/create", booking(open, orderNo));
    const amount = yuan(
      fen(open.row.reg_fee) + fen(open.row.diag_fee) + fen(open.row.service_fee) + fen(open.row.other_fee),
    );
    expect(booked).toEqual({
      his_order_no: expect.stringMatching(/^HO\d+$/),
      seq_no: expect.stringMatching(/^\d+$/),
      take_time: open.row.take_time,
      visit_time: `${open.period.begin_time}-${open.period.end_time}`,
      visit_address: open.row.visit_address,
      patient_id: "P000001",
      visit_no: expect.any(String),
      card_type: "JZK",
      card_no: "70000001",
      pay_amount: amount,
      discount_flag: "N",
      tips: expect.any(String),
    });
    const periodsAfter: any[] = await ok("schedule/periods", {
      dept_id: open.row.dept_id,
      doctor_code: open.row.doctor_code,
      clinic_date: open.row.clinic_date,
      noon_name: open.row.noon_name,
    });
    expect(periodsAfter.find((p) => p.period_id === open.period.period_id).remain_num).toBe(open.period.remain_num - 1);

    // Pay through the SOAP web service, inputXml escaped as text.
    const paid = await call("GH_PAY", payParams(orderNo, booked.his_order_no, amount, `W${orderNo}`));
    expect(paid).toEqual({
      resultCode: "0",
      resultMessage: "成功",
      result: {
        hisPayNo: expect.stringMatching(/^HT\d+$/),
        invoiceNo: expect.any(String),
        seqNo: booked.seq_no,
        visitNo: booked.visit_no,
        visitAddress: booked.visit_address,
        tips: expect.any(String),
      },
    });
    const again = await call("GH_PAY", payParams(orderNo, booked.his_order_no, amount, `W${orderNo}`));
    expect(again).toMatchObject({ resultCode: "-106", result: "" });
    expect((await call("GH_PAY", payParams(orderNo, booked.his_order_no, amount, `X${orderNo}`))).resultCode).toBe(
      "-102",
    );

    const queried = await ok("register/query", {
      platform_order_no: orderNo,
      begin_time: unix(addDays(today, -7)),
      end_time: unix(addDays(today, 7)),
      offset: 0,
      limit: 10,
    });
    expect(queried.total).toBe(1);
    expect(queried.rows[0]).toMatchObject({
      platform_order_no: orderNo,
      his_order_no: booked.his_order_no,
      his_pay_no: paid.result.hisPayNo,
      channel_code: "WX",
      clinic_date: open.row.clinic_date,
      noon_name: open.row.noon_name,
      begin_time: open.period.begin_time,
      total_amount: amount,
      pay_amount: amount,
      pay_state: "1",
      pay_time: now.datetime,
      take_flag: "N",
      checkin_time: "",
      cancel_flag: "N",
      cancel_time: "",
      refund_state: "0",
      refund_amount: "0.00",
      id_type: "01",
      card_type: "JZK",
      sex: "M",
      birth_date: "19850312",
    });
    expect(Object.keys(queried.rows[0])).toEqual(ORDER_ROW_KEYS);

    // Refund, inputXml as CDATA this time; the same ptRefundNo again gives the same answer.
    const refundParams = {
      bizType: 1,
      ptOrderNo: orderNo,
      hisOrderNo: booked.his_order_no,
      tradeNo: `T${orderNo}`,
      hisPayNo: paid.result.hisPayNo,
      ptRefundNo: `R${orderNo}`,
      refundChannel: 1,
      refundType: 101,
      totalAmt: amount,
      refundAmt: amount,
      refundTime: now.datetime,
      reason: "患者申请退号 <行程有变> & 其他",
    };
    const refunded = await call("GH_REFUND", refundParams, { cdata: true });
    expect(refunded).toEqual({
      resultCode: "0",
      resultMessage: "成功",
      result: { hisRefundNo: expect.stringMatching(/^HR\d+$/), refundWay: "PLATFORM" },
    });
    expect(await call("GH_REFUND", refundParams)).toEqual(refunded);
    expect((await call("GH_REFUND", { ...refundParams, ptRefundNo: `R2${orderNo}` })).resultCode).toBe("-104");
    expect(
      await call("GH_REFUND_NOTIFY", {
        bizType: 1,
        ptOrderNo: orderNo,
        hisRefundNo: refunded.result.hisRefundNo,
        ptRefundNo: `R${orderNo}`,
        totalAmt: amount,
        refundAmt: amount,
        refundTime: now.datetime,
      }),
    ).toEqual({ resultCode: "0", resultMessage: "成功", result: "" });

    const afterRefund = await ok("register/query", {
      his_refund_no: refunded.result.hisRefundNo,
      begin_time: unix(today),
      end_time: unix(today),
      offset: 0,
      limit: 1,
    });
    expect(afterRefund.rows[0]).toMatchObject({
      platform_order_no: orderNo,
      cancel_flag: "Y",
      cancel_time: now.datetime,
      refund_state: "1",
      refund_amount: amount,
    });

    // Today's books: the payment and the refund, 元 both.
    const bill = await call("BILL_QUERY", { beginDate: compact(today), endDate: compact(today) });
    expect(bill.resultCode).toBe("0");
    const mine = bill.result.details.detail.filter((d: any) => d.ptOrderNo === orderNo);
    expect(mine).toEqual([
      expect.objectContaining({
        tradeType: "PAY",
        tradeAmt: amount,
        refundAmt: "",
        ptRefundNo: "",
        outTradeNo: `W${orderNo}`,
      }),
      expect.objectContaining({
        tradeType: "REFUND",
        tradeAmt: "",
        refundAmt: amount,
        ptRefundNo: `R${orderNo}`,
        hisRefundNo: refunded.result.hisRefundNo,
        cardType: "JZK",
        idType: "01",
      }),
    ]);
    expect(fen(bill.result.payAmt)).toBeGreaterThanOrEqual(fen(amount));
    expect(Number(bill.result.totalCount)).toBe(bill.result.details.detail.length);
  });

  it("answers BILL_QUERY with resultCode 1 and an empty result when there was no trade", async () => {
    expect(await call("BILL_QUERY", { beginDate: "20000101", endDate: "20000101" })).toEqual({
      resultCode: "1",
      resultMessage: "无交易数据",
      result: "",
    });
  });

  it("pages a patient's orders by offset/limit with the total", async () => {
    const patient = { ...ZHANG_WEI, query_value: "110101198001010022", patient_name: "孙分页", phone: "13900000022" };
    const open = await openPeriod("0201");
    const other = await openPeriod("0202");
    await ok("register/create", booking(open, `LG${Date.now()}P1`, patient));
    await ok("register/create", booking(other, `LG${Date.now()}P2`, patient));
    const page = (offset: number) =>
      ok("register/query", {
        query_type: "1",
        query_value: patient.query_value,
        begin_time: unix(today),
        end_time: unix(addDays(today, 7)),
        status: "UNPAID",
        offset,
        limit: 1,
      });
    const [first, second, past] = [await page(0), await page(1), await page(2)];
    expect([first.total, second.total, past.total]).toEqual([2, 2, 2]);
    expect(first.rows).toHaveLength(1);
    expect(second.rows).toHaveLength(1);
    expect(first.rows[0].platform_order_no).not.toBe(second.rows[0].platform_order_no);
    expect(past.rows).toEqual([]);
    const paidOnly = await ok("register/query", {
      query_type: "1",
      query_value: patient.query_value,
      begin_time: unix(today),
      end_time: unix(addDays(today, 7)),
      status: "PAID",
      offset: 0,
      limit: 10,
    });
    expect(paidOnly).toEqual({ total: 0, rows: [] });
    expect(
      (
        await rest("register/query", {
          query_type: "1",
          query_value: "000",
          begin_time: 0,
          end_time: 0,
          offset: 0,
          limit: 1,
        })
      ).code,
    ).toBe("2001");
    expect((await rest("register/query", { begin_time: 0, end_time: 0, offset: 0, limit: 1 })).code).toBe("1001");
  });

  it("cancels and takes numbers with register/status, with the 40xx codes", async () => {
    const open = await openPeriod("0102");
    const orderNo = `LG${Date.now()}C`;
    const booked = await ok("register/create", booking(open, orderNo));
    const status = (action: string, his = booked.his_order_no, platform = orderNo) =>
      rest("register/status", {
        platform_order_no: platform,
        his_order_no: his,
        action,
        action_time: now.datetime,
        reason: "行程有变",
      });
    expect(await status("CANCEL")).toEqual({ code: "1", message: "成功", data: null });
    expect((await status("CANCEL")).code).toBe("1");
    expect((await status("TAKE")).code).toBe("4003");
    expect((await status("CANCEL", "HO0", "NOPE")).code).toBe("4001");
    expect((await status("LEAVE")).code).toBe("1001");

    const paidNo = `LG${Date.now()}D`;
    const paidBooking = await ok("register/create", booking(await openPeriod("0102"), paidNo));
    const paid = await call(
      "GH_PAY",
      payParams(paidNo, paidBooking.his_order_no, paidBooking.pay_amount, `W${paidNo}`),
    );
    expect(paid.resultCode).toBe("0");
    const cancelPaid = await rest("register/status", {
      platform_order_no: paidNo,
      his_order_no: paidBooking.his_order_no,
      action: "CANCEL",
      action_time: now.datetime,
    });
    expect(cancelPaid, cancelPaid.message).toMatchObject({ code: "4002" });
    const take = { platform_order_no: paidNo, his_order_no: paidBooking.his_order_no, action_time: now.datetime };
    expect((await rest("register/status", { ...take, action: "TAKE" })).code).toBe("1");
    expect((await rest("register/status", { ...take, action: "CANCEL" })).code).toBe("4004");
    const refund = await call("GH_REFUND", {
      bizType: 1,
      ptOrderNo: paidNo,
      tradeNo: `T${paidNo}`,
      hisPayNo: paid.result.hisPayNo,
      ptRefundNo: `R${paidNo}`,
      refundChannel: 1,
      refundType: 101,
      totalAmt: paidBooking.pay_amount,
      refundAmt: paidBooking.pay_amount,
      refundTime: now.datetime,
      reason: "已取号",
    });
    expect(refund.resultCode).toBe("-203");
  });
});

describe("register/create and GH_PAY business codes (API.md §1.6, §5.1)", () => {
  it("answers a taken period with 3003, a full half-day with 3002, a repeated order number with 3006", async () => {
    const open = await openPeriod("0302", 1);
    const child = (i: number) => ({
      ...ZHANG_WEI,
      query_value: `11010120200101${String(1000 + i)}`,
      patient_name: `小明${i}`,
      birth_date: "20200101",
      child_flag: "Y",
    });
    // Take every number of the period, then one more.
    for (let i = 0; i < open.period.remain_num; i++)
      expect((await rest("register/create", booking(open, `LG${Date.now()}S${i}`, child(i)))).code).toBe("1");
    const taken = await rest("register/create", booking(open, `LG${Date.now()}SX`, child(99)));
    expect(taken).toMatchObject({ code: "3003", data: null });
    expect(taken.message).toContain("号源已被占用");
    const first = `LG${Date.now()}DUP`;
    const other = await openPeriod("0301");
    const woman = {
      ...ZHANG_WEI,
      query_value: "110101199202020033",
      patient_name: "周女士",
      sex: "F",
      birth_date: "19920202",
    };
    expect((await rest("register/create", booking(other, first, woman))).code).toBe("1");
    expect((await rest("register/create", booking(other, first, woman))).code).toBe("3006");

    // A whole half-day taken: every period, by the schedule's numbers.
    const s = store.get<Schedule>(scheduleKey(open.row.schedule_id))!;
    store.put(scheduleKey(s.id), { ...s, slots: s.slots.map((t) => ({ ...t, remainCount: 0 })) });
    const { period_id: _, ...anyPeriod } = booking(open, `LG${Date.now()}FULL`, child(98));
    expect((await rest("register/create", anyPeriod)).code).toBe("3002");
  });

  it("answers department limits with 3004, fees that disagree with 3005, an unknown schedule with 3001", async () => {
    const gyn = await openPeriod("0301");
    expect((await rest("register/create", booking(gyn, `LG${Date.now()}SEX`))).code).toBe("3004");
    const open = await openPeriod("0201");
    const fee = await rest("register/create", { ...booking(open, `LG${Date.now()}FEE`), diag_fee: "0.01" });
    expect(fee.code).toBe("3005");
    const unknown = await rest("register/create", {
      ...booking(open, `LG${Date.now()}UNK`),
      schedule_id: "19990101D0011",
    });
    expect(unknown.code).toBe("3001");
    // By card: the card's type must agree; a patient found by nothing but a card is not registered on the spot.
    const byCard = { ...booking(open, `LG${Date.now()}CARD`), query_type: "2", query_value: "70000002" };
    const lina = await rest("register/create", { ...byCard, query_sub_type: "7", patient_name: "李娜", sex: "F" });
    expect(lina, lina.message).toMatchObject({ code: "1", data: { patient_id: "P000002", card_no: "70000002" } });
    const wrongType = await rest("register/create", { ...byCard, platform_order_no: `LG${Date.now()}CARD2` });
    expect(wrongType).toMatchObject({ code: "3005", message: expect.stringContaining("证件") });
  });

  it("answers GH_PAY with -101 for an unknown order, -105 for a wrong amount, -1 for another business", async () => {
    expect((await call("GH_PAY", payParams("NOPE", "HO0", "1.00", "WNOPE"))).resultCode).toBe("-101");
    const open = await openPeriod("0201");
    const orderNo = `LG${Date.now()}AMT`;
    const patient = { ...ZHANG_WEI, query_value: "110101197001010044", patient_name: "吴金额", phone: "13900000044" };
    const booked = await ok("register/create", booking(open, orderNo, patient));
    const wrong = await call("GH_PAY", payParams(orderNo, booked.his_order_no, "0.01", `W${orderNo}`));
    expect(wrong.resultCode).toBe("-105");
    const outpatient = await call("GH_PAY", {
      ...payParams(orderNo, booked.his_order_no, booked.pay_amount, `W${orderNo}`),
      bizType: 2,
    });
    expect(outpatient).toMatchObject({ resultCode: "-1", resultMessage: expect.stringContaining("仅开通挂号业务") });
    const threeDecimals = await call("GH_PAY", payParams(orderNo, booked.his_order_no, "1.001", `W${orderNo}`));
    expect(threeDecimals).toMatchObject({ resultCode: "-1", resultMessage: expect.stringContaining("totalAmt") });
  });
});

describe("the index page", () => {
  it("lists the three subsystems and a schedule open tomorrow", async () => {
    const res = await app.fetch(new Request("http://legacy-his/"), { store });
    const index = (await res.json()) as any;
    expect(index.rest.paths).toContain("/his/api/register/create");
    expect(index.soap.funcCodes).toEqual(["GH_PAY", "GH_REFUND", "GH_REFUND_NOTIFY", "BILL_QUERY"]);
    expect(index.example.clinic_date).toBe(compact(addDays(today, 1)));
  });
});

describe("the SOAP web service itself (API.md §5)", () => {
  it("answers an unknown FuncCode inside CallResult with -1", async () => {
    expect(await call("GH_NOTHING", {})).toMatchObject({
      resultCode: "-1",
      resultMessage: expect.stringContaining("功能号"),
    });
  });

  it("answers a broken envelope with HTTP 500 and a soap:Fault", async () => {
    for (const body of ["not xml", "<soap:Envelope xmlns:soap='x'><soap:Body><Other/></soap:Body></soap:Envelope>"]) {
      const res = await soapPost(body);
      expect(res.status).toBe(500);
      const fault = xmlReader.parse(await res.text()).Envelope.Body.Fault;
      expect(fault.faultcode).toBe("soap:Client");
    }
  });

  it("answers inputXml that is not <request><params> with -1", async () => {
    const res = await soapPost(soapEnvelope("BILL_QUERY", "<params><beginDate>20240101</beginDate></params>", false));
    const result = xmlReader.parse(xmlReader.parse(await res.text()).Envelope.Body.CallResponse.CallResult).response;
    expect(result.resultCode).toBe("-1");
  });

  it("publishes its WSDL", async () => {
    const res = await app.fetch(new Request("http://legacy-his/his/ws/ChargeService.asmx?wsdl"), { store });
    const wsdl = xmlReader.parse(await res.text()).definitions;
    expect(wsdl["@_targetNamespace"]).toBe("http://tempuri.org/");
    expect(wsdl.binding.operation.operation["@_soapAction"]).toBe("http://tempuri.org/Call");
  });
});
