// HIS profiles through the real gateway in workerd: each capability of the profile format, exercised by the test
// profiles under test/profiles/ (compiled by `npm run codegen` into generated/profiles/test/). The HIS is a
// scripted service binding; what it receives is checked as bytes, what the platform gets is decrypted with the
// independent reference.
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { validateQueryStopRegisterResponse } from "../../generated/validators.js";
import { profile as flatJson } from "../../generated/profiles/test/flat-json.js";
import { profile as soapCall } from "../../generated/profiles/test/soap-call.js";
import { profile as xmlUpper } from "../../generated/profiles/test/xml-upper.js";
import { installProfile } from "../../worker/src/his/profiles.js";
import { gateway, hisJson, post, type HisCall, type HisHandler } from "../support/gateway.js";
import { refDecrypt, refEnvelope, refReadReply, refReplySignatureOk, SEED_KEY } from "../support/reference.js";

installProfile(flatJson);
// Zero rows are a required list given empty; the standard's validator accepts that once issue 10 item 18 lands.
const emptyListsAccepted = validateQueryStopRegisterResponse({ count: 0, callback: 0, isRefund: 0, stop: [] }).ok;
installProfile(xmlUpper);
installProfile(soapCall);

const tenant = (hisProfile: string) => ({
  partner: "TEST_WX",
  hospitalCode: "0",
  key: SEED_KEY,
  hisUrl: "http://legacy.test/base",
  hisService: "HIS",
  hisHeaders: { authorization: "Bearer t" },
  hisProfile,
});

interface Outcome {
  resultCode: string;
  resultMessage: string;
  data?: Record<string, unknown>;
  call: HisCall | undefined;
}

/** One service through a profile tenant, JSON envelope; the reply's business data parsed. */
async function through(profile: string, service: string, request: unknown, his: HisHandler): Promise<Outcome> {
  const gw = gateway(his, [tenant(profile)]);
  const { body } = refEnvelope({ service, format: "json", payload: JSON.stringify(request) });
  const res = await gw.fetch("/wd/api", post(body));
  const reply = refReadReply(await res.text());
  expect(refReplySignatureOk(reply)).toBe(true);
  return {
    resultCode: reply.resultCode!,
    resultMessage: reply.resultMessage!,
    ...(reply.responseEncrypted ? { data: JSON.parse(refDecrypt(reply.responseEncrypted, SEED_KEY)) } : {}),
    call: gw.calls[0],
  };
}

const ok = (data: unknown) => hisJson({ code: "1", message: "成功", data });

const scheduleRow = (over: Record<string, unknown>) => ({
  doctor_id: "D1",
  doctor_name: "王医生",
  visit_date: "20240501",
  schedule_id: "S1",
  half_day: "上午",
  begin_time: "08:00:00",
  end_time: "11:30:00",
  state: "open",
  total: 20,
  remain: 5,
  reg_fee: "12.5",
  treat_fee: "0.10",
  other_fee: "-1",
  level: "2",
  sex_limit: "A",
  updated: "2016-02-10 00:00:00.0",
  flag: "1",
  ...over,
});

const scheduleRequest = {
  departmentId: "0101",
  startDate: "2024-05-01",
  endDate: "2024-05-07",
  currentPage: "1",
  pageSize: "10",
};

describe("profile: JSON {code, message, data}, flat rows (flat-json)", () => {
  it("GET with a path placeholder, query bounds as Unix seconds and yyyyMMdd, the profile's and tenant's headers", async () => {
    const out = await through("flat-json", "GetScheduleInfo", { ...scheduleRequest, doctorId: "D1" }, () =>
      ok({ rows: [] }),
    );
    expect(out.call!.method).toBe("GET");
    const url = new URL(out.call!.url);
    expect(url.pathname).toBe("/base/api/dept/0101/schedules");
    // 2024-05-01 00:00 in Beijing time is 2024-04-30 16:00 UTC.
    expect(Object.fromEntries(url.searchParams)).toEqual({ doctor_id: "D1", begin: "1714492800", end: "20240507" });
    expect(out.call!.headers["x-his-app"]).toBe("hisgate");
    expect(out.call!.headers["authorization"]).toBe("Bearer t");
    expect(out.call!.text).toBe("");
  });

  it("groups flat rows doctor → date → noon, converts 元 → 分, times, dates, value maps, markers; pages locally", async () => {
    const rows = [
      scheduleRow({}),
      scheduleRow({ schedule_id: "S2", half_day: "下午", begin_time: "14:00:00", end_time: "17:00:00" }),
      scheduleRow({ schedule_id: "S3", visit_date: "20240502", reg_fee: "0.01", state: "stopped" }),
      scheduleRow({ doctor_id: "D2", doctor_name: "李医生", schedule_id: "S4", flag: "0" }),
      scheduleRow({ doctor_id: "D3", doctor_name: "赵医生", schedule_id: "S5", reg_fee: "100" }),
    ];
    const out = await through("flat-json", "GetScheduleInfo", { ...scheduleRequest, pageSize: "1" }, () =>
      ok({ rows }),
    );
    expect(out.resultCode, out.resultMessage).toBe("SUCCESS");
    // D2's only row is filtered out (flag 0): two doctors, one per page.
    expect(out.data!.count).toBe("2");
    const schedule = out.data!.schedule as {
      doctorId: string;
      date: { registerDate: string; weekday: string; noon: Record<string, string>[] }[];
    }[];
    expect(schedule.map((s) => s.doctorId)).toEqual(["D1"]);
    expect(schedule[0]!.date.map((d) => [d.registerDate, d.weekday, d.noon.map((n) => n.id)])).toEqual([
      ["2024-05-01", "星期三", ["S1", "S2"]],
      ["2024-05-02", "星期四", ["S3"]],
    ]);
    const [s1, s2] = schedule[0]!.date[0]!.noon;
    expect(s1).toMatchObject({
      noon: "1",
      startTime: "08:00",
      endTime: "11:30",
      status: "1",
      totalCount: "20",
      registerFee: "1250",
      treatFee: "10",
      serviceFee: "0",
      otherFee: "0",
      level: "2",
      sexLimit: "0",
      updateTime: "2016-02-10 00:00:00",
      isTime: "0",
    });
    expect(s1!.remainCount).toBe("5");
    expect(s2).toMatchObject({ noon: "2", startTime: "14:00" });
  });

  it("the second page holds the other doctor; 100 元 is 10000 分", async () => {
    const rows = [
      scheduleRow({ remain: 3 }),
      scheduleRow({ doctor_id: "D3", schedule_id: "S5", reg_fee: "100", remain: 3 }),
    ];
    const out = await through(
      "flat-json",
      "GetScheduleInfo",
      { ...scheduleRequest, currentPage: "2", pageSize: "1" },
      () => ok({ rows }),
    );
    expect(out.resultCode, out.resultMessage).toBe("SUCCESS");
    const schedule = out.data!.schedule as { doctorId: string; date: { noon: { registerFee: string }[] }[] }[];
    expect(schedule.map((s) => s.doctorId)).toEqual(["D3"]);
    expect(schedule[0]!.date[0]!.noon[0]!.registerFee).toBe("10000");
  });

  it("a required field the HIS leaves without value (-1) is ILLEGAL_RESPONSE naming the standard's field", async () => {
    const out = await through("flat-json", "GetScheduleInfo", scheduleRequest, () =>
      ok({ rows: [scheduleRow({ remain: "-1" })] }),
    );
    expect(out.resultCode).toBe("ILLEGAL_RESPONSE");
    expect(out.resultMessage).toContain("response.schedule[0].date[0].noon[0].remainCount");
  });

  it("a value the map does not know is ILLEGAL_RESPONSE, never passed on", async () => {
    const out = await through("flat-json", "GetScheduleInfo", scheduleRequest, () =>
      ok({ rows: [scheduleRow({ remain: 1, half_day: "凌晨" })] }),
    );
    expect(out.resultCode).toBe("ILLEGAL_RESPONSE");
    expect(out.resultMessage).toContain("response.schedule[0].date[0].noon[0].noon");
  });

  it("money that is not a decimal, and a time in another format, are ILLEGAL_RESPONSE naming the field", async () => {
    const fee = await through("flat-json", "GetScheduleInfo", scheduleRequest, () =>
      ok({ rows: [scheduleRow({ remain: 1, reg_fee: "12,50" })] }),
    );
    expect(fee.resultCode).toBe("ILLEGAL_RESPONSE");
    expect(fee.resultMessage).toContain("noon[0].registerFee");
    const time = await through("flat-json", "GetScheduleInfo", scheduleRequest, () =>
      ok({ rows: [scheduleRow({ remain: 1, begin_time: "8:00" })] }),
    );
    expect(time.resultCode).toBe("ILLEGAL_RESPONSE");
    expect(time.resultMessage).toContain("noon[0].startTime");
  });

  it.skipIf(!emptyListsAccepted)("the empty predicate (code 2) is SUCCESS with zero rows", async () => {
    const out = await through("flat-json", "GetScheduleInfo", scheduleRequest, () =>
      hisJson({ code: "2", message: "无排班" }),
    );
    expect(out.resultCode, out.resultMessage).toBe("SUCCESS");
    expect(out.data!.count).toBe("0");
  });

  it("a HIS failure code the profile does not map is SYSTEM_ERROR, not a success", async () => {
    const out = await through("flat-json", "GetScheduleInfo", scheduleRequest, () =>
      hisJson({ code: "0", message: "数据库连接失败", data: { rows: [scheduleRow({ remain: 1 })] } }),
    );
    expect(out.resultCode).toBe("SYSTEM_ERROR");
    expect(out.resultMessage).toContain('"0"');
    expect(out.resultMessage).not.toContain("数据库");
  });

  it("an answer that is not JSON is ILLEGAL_RESPONSE; HTTP 5xx is SYSTEM_ERROR", async () => {
    expect(
      (await through("flat-json", "GetScheduleInfo", scheduleRequest, () => new Response("<html/>"))).resultCode,
    ).toBe("ILLEGAL_RESPONSE");
    expect(
      (await through("flat-json", "GetScheduleInfo", scheduleRequest, () => new Response("busy", { status: 503 })))
        .resultCode,
    ).toBe("SYSTEM_ERROR");
  });

  it("a service the profile does not map is HAS_NO_PRIVILEGE", async () => {
    const out = await through("flat-json", "TestNet", { ip: "127.0.0.1" }, () => ok({}));
    expect(out.resultCode).toBe("HAS_NO_PRIVILEGE");
    expect(out.call).toBeUndefined();
  });
});

describe("profile: UPPERCASE XML and double-encoded JSON (xml-upper)", () => {
  const xmlAnswer = (records: string, state = "1") =>
    new Response(
      `<?xml version="1.0" encoding="utf-8"?><RESPONSE><STATE>${state}</STATE><MSG>成功</MSG><DATA>${records}</DATA></RESPONSE>`,
      {
        headers: { "content-type": "text/xml" },
      },
    );
  const record = (id: string, parent: string, flag: string, tel = "") =>
    `<RECORD><DEPTID>${id}</DEPTID><DEPTNAME>科&amp;室${id}</DEPTNAME><PARENTID>${parent}</PARENTID><DEPTLEVEL>1</DEPTLEVEL><DEPTSPECIAL>擅长</DEPTSPECIAL><TEL>${tel}</TEL><FLAG>${flag}</FLAG></RECORD>`;

  it("sends <PARAMETER> without CDATA, nested elements from dotted names; filters FLAG, reads 0000 as no parent", async () => {
    const out = await through(
      "xml-upper",
      "GetDepartmentInfo",
      { departmentId: "01", currentPage: "1", pageSize: "10" },
      () => xmlAnswer(record("01", "0000", "1") + record("02", "01", "0") + record("0101", "01", "1", "029-1")),
    );
    expect(out.call!.url).toBe("http://legacy.test/base/xml/QueryDept");
    expect(out.call!.headers["content-type"]).toBe("application/xml; charset=utf-8");
    expect(out.call!.text).toBe("<PARAMETER><DEPTID>01</DEPTID><HOSP><CODE>H01</CODE></HOSP></PARAMETER>");
    expect(out.resultCode, out.resultMessage).toBe("SUCCESS");
    expect(out.data).toEqual({
      count: "2",
      department: [
        { id: "01", name: "科&室01", parentId: "-1", expertise: "擅长", level: "1", status: "1" },
        {
          id: "0101",
          name: "科&室0101",
          parentId: "01",
          expertise: "擅长",
          level: "1",
          status: "1",
          telephone: "029-1",
        },
      ],
    });
  });

  it("one <RECORD> is a list of one; STATE ≤ 0 is never a success: 0 maps to the business code, -9 to SYSTEM_ERROR", async () => {
    const one = await through("xml-upper", "GetDepartmentInfo", { currentPage: "1", pageSize: "10" }, () =>
      xmlAnswer(record("01", "0000", "1")),
    );
    expect((one.data!.department as unknown[]).length).toBe(1);
    const none = await through("xml-upper", "GetDepartmentInfo", { currentPage: "1", pageSize: "10" }, () =>
      xmlAnswer("", "0"),
    );
    expect([none.resultCode, none.resultMessage]).toEqual(["S05010101", "未查询到科室记录"]);
    const broken = await through("xml-upper", "GetDepartmentInfo", { currentPage: "1", pageSize: "10" }, () =>
      xmlAnswer(record("01", "0000", "1"), "-9"),
    );
    expect(broken.resultCode).toBe("SYSTEM_ERROR");
  });

  it("an XML answer with a DOCTYPE is refused", async () => {
    const out = await through(
      "xml-upper",
      "GetDepartmentInfo",
      { currentPage: "1", pageSize: "10" },
      () => new Response(`<!DOCTYPE x [<!ENTITY a "b">]><RESPONSE><STATE>1</STATE></RESPONSE>`),
    );
    expect(out.resultCode).toBe("ILLEGAL_RESPONSE");
  });

  it("an XML answer is read as the gateway reads XML: a control-character reference is refused, not dropped; two roots are refused", async () => {
    const ask = (answer: () => Response) =>
      through("xml-upper", "GetDepartmentInfo", { currentPage: "1", pageSize: "10" }, answer);
    const control = await ask(() => xmlAnswer(record("01", "0000", "1").replace("擅长", "擅&#1;长")));
    expect(control.resultCode, control.resultMessage).toBe("ILLEGAL_RESPONSE");
    expect(control.resultMessage).toContain("expertise");
    const nul = await ask(() => xmlAnswer(record("01", "0000", "1").replace("擅长", "擅&#0;长")));
    expect(nul.resultCode, nul.resultMessage).toBe("ILLEGAL_RESPONSE");
    const twoRoots = await ask(
      () => new Response(`<RESPONSE><STATE>1</STATE></RESPONSE><RESPONSE><STATE>1</STATE></RESPONSE>`),
    );
    expect(twoRoots.resultCode, twoRoots.resultMessage).toBe("ILLEGAL_RESPONSE");
  });

  it("form body with offset/limit paging; data as a JSON string; 2016-02-10 00:00:00.0 → a date; otherwise", async () => {
    const data = JSON.stringify({
      total: 31,
      list: [
        {
          dept: "01",
          code: "D1",
          name: "王",
          title: "主任医师",
          office: "返聘",
          gender: "女",
          born: "1970-03-04 00:00:00.0",
        },
      ],
    });
    const out = await through(
      "xml-upper",
      "GetDoctorInfo",
      { departmentId: "01", currentPage: "3", pageSize: "10" },
      () => hisJson({ success: true, errorCode: "", errorMessage: "", data }),
    );
    expect(out.call!.headers["content-type"]).toBe("application/x-www-form-urlencoded; charset=utf-8");
    expect(out.call!.text).toBe("dept=01&start=20&rows=10");
    expect(out.resultCode, out.resultMessage).toBe("SUCCESS");
    expect(out.data).toEqual({
      count: "31",
      doctor: [
        {
          departmentId: "01",
          id: "D1",
          name: "王",
          professionTitle: "231",
          office: "5",
          status: "1",
          sex: "2",
          birthday: "1970-03-04",
          sort: "0",
        },
      ],
    });
  });

  it("success false carries the HIS's code; Unix seconds → the standard's datetime in Beijing time", async () => {
    const refused = await through("xml-upper", "GetDoctorInfo", { currentPage: "1", pageSize: "10" }, () =>
      hisJson({ success: false, errorCode: "E42", errorMessage: "内部错误", data: "" }),
    );
    expect(refused.resultCode).toBe("SYSTEM_ERROR");
    expect(refused.resultMessage).toContain("E42");
    const net = await through("xml-upper", "TestNet", { ip: "10.0.0.1" }, () =>
      hisJson({ success: "true", data: JSON.stringify({ now: 1714528800 }) }),
    );
    expect(net.call!.url).toBe("http://legacy.test/base/his/ping?client_ip=10.0.0.1");
    expect(net.data).toEqual({ systemTime: "2024-05-01 10:00:00" });
  });
});

describe("profile: SOAP Call(FuncCode, inputXml) (soap-call)", () => {
  const soapAnswer = (inner: string) =>
    new Response(
      `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><CallResponse xmlns="http://tempuri.org/"><CallResult>${inner
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")}</CallResult></CallResponse></soap:Body></soap:Envelope>`,
      { headers: { "content-type": "text/xml; charset=utf-8" } },
    );
  const parser = new XMLParser({ parseTagValue: false, removeNSPrefix: true });
  const sentArgs = (call: HisCall) => {
    const env = parser.parse(call.text) as { Envelope: { Body: { Call: { FuncCode: string; inputXml: string } } } };
    return env.Envelope.Body.Call;
  };
  const pay = {
    businessType: "1",
    orderId: "WX1",
    tradeId: "T1",
    outTradeId: "420000001",
    payTime: "2024-04-30 20:16:00",
    payMode: "2",
    payChannel: "1",
    payType: "101",
    isConcessions: "0",
    totalFee: "2000",
    payableFee: "2000",
    activityFee: "0",
    medicareFee: "0",
    realFee: "1999.5",
  };

  it("Pay: SOAP 1.1 with action and namespace; 分 → 元 exactly inside an XML string argument, CDATA", async () => {
    const out = await through("soap-call", "Pay", pay, () =>
      soapAnswer(
        "<response><resultCode>0</resultCode><resultMessage>成功</resultMessage><result><hisPayNo>HT1</hisPayNo><invoiceNo>R1</invoiceNo><seqNo>6</seqNo><visitNo>V1</visitNo><visitAddress>二楼</visitAddress></result></response>",
      ),
    );
    expect(out.call!.headers["soapaction"]).toBe('"http://tempuri.org/Call"');
    expect(out.call!.headers["content-type"]).toBe("text/xml; charset=utf-8");
    expect(out.call!.headers["x-his-tenant"]).toBe("demo");
    expect(out.call!.text).toContain('<Call xmlns="http://tempuri.org/">');
    const args = sentArgs(out.call!);
    expect(args.FuncCode).toBe("PAY");
    expect(args.inputXml).toBe(
      "<request><params><ptOrderNo><![CDATA[WX1]]></ptOrderNo><outTradeNo><![CDATA[420000001]]></outTradeNo><payTime><![CDATA[20240430201600]]></payTime><totalAmt><![CDATA[20.00]]></totalAmt><selfAmt><![CDATA[19.995]]></selfAmt><payMode><![CDATA[2]]></payMode></params></request>",
    );
    expect(out.resultCode, out.resultMessage).toBe("SUCCESS");
    expect(out.data).toEqual({
      hospitalTradeId: "HT1",
      receiptId: "R1",
      business: [{ clinicNo: "6", visitNo: "V1", visitAddress: "二楼" }],
    });
  });

  it("Pay: the HIS's -102 is the service's S02000107; an unmapped -9 is SYSTEM_ERROR; a SOAP fault too", async () => {
    const dup = await through("soap-call", "Pay", { ...pay, orderId: "WX2", outTradeId: "4202" }, () =>
      soapAnswer(
        "<response><resultCode>-102</resultCode><resultMessage>订单已缴费</resultMessage><result/></response>",
      ),
    );
    expect([dup.resultCode, dup.resultMessage]).toEqual(["S02000107", "重复支付"]);
    const down = await through("soap-call", "Pay", { ...pay, orderId: "WX3", outTradeId: "4203" }, () =>
      soapAnswer("<response><resultCode>-9</resultCode><resultMessage>系统异常</resultMessage></response>"),
    );
    expect(down.resultCode).toBe("SYSTEM_ERROR");
    const fault = await through(
      "soap-call",
      "Pay",
      { ...pay, orderId: "WX4", outTradeId: "4204" },
      () =>
        new Response(
          '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Client</faultcode></soap:Fault></soap:Body></soap:Envelope>',
        ),
    );
    expect(fault.resultCode).toBe("ILLEGAL_RESPONSE");
  });

  it("Refund: 分 → 元 as a number, Unix seconds, a request list; a HIS answer in the wrong enum is ILLEGAL_RESPONSE", async () => {
    const refund = {
      businessType: "1",
      orderId: "WX1",
      tradeId: "T1",
      hospitalTradeId: "HT1",
      refundId: "RF1",
      refundChannel: "1",
      refundType: "101",
      totalFee: "2000",
      refundFee: "1050",
      refundTime: "2024-04-30 21:00:00",
      reason: "退号",
      user: [
        { id: "name", value: "张" },
        { id: "mobile", value: "1" },
      ],
    };
    const out = await through("soap-call", "Refund", refund, () =>
      soapAnswer(
        "<response><resultCode>0</resultCode><result><hisRefundNo>HR1</hisRefundNo><refundWay>HOSPITAL</refundWay></result></response>",
      ),
    );
    expect(sentArgs(out.call!).inputXml).toBe(
      "<request><params><ptOrderNo><![CDATA[WX1]]></ptOrderNo><refundAmt><![CDATA[10.5]]></refundAmt><refundTime><![CDATA[1714482000]]></refundTime><users><rule><![CDATA[name]]></rule><value><![CDATA[张]]></value></users><users><rule><![CDATA[mobile]]></rule><value><![CDATA[1]]></value></users></params></request>",
    );
    expect(out.data).toEqual({ hospitalRefundId: "HR1", refundFlag: "2" });
    const odd = await through("soap-call", "Refund", { ...refund, refundId: "RF2" }, () =>
      soapAnswer(
        "<response><resultCode>0</resultCode><result><hisRefundNo>HR2</hisRefundNo><refundWay>CASH</refundWay></result></response>",
      ),
    );
    expect(odd.resultCode).toBe("ILLEGAL_RESPONSE");
    expect(odd.resultMessage).toContain("response.refundFlag");
  });

  it.skipIf(!emptyListsAccepted)(
    "resultCode 1 (success, no data) is SUCCESS with zero rows and the mapping's constants",
    async () => {
      const out = await through(
        "soap-call",
        "QueryStopRegister",
        { departmentId: "01", startDate: "2024-05-01", endDate: "2024-05-07", currentPage: "1", pageSize: "10" },
        () =>
          soapAnswer("<response><resultCode>1</resultCode><resultMessage>无数据</resultMessage><result/></response>"),
      );
      expect(out.resultCode, out.resultMessage).toBe("SUCCESS");
      expect(out.data).toMatchObject({ count: "0", callback: "0", isRefund: "0" });
      expect(sentArgs(out.call!).inputXml).toContain("<from><![CDATA[20240501]]></from>");
    },
  );

  it("resultCode -1 is a failure even with data", async () => {
    const out = await through(
      "soap-call",
      "QueryStopRegister",
      { departmentId: "01", startDate: "2024-05-01", endDate: "2024-05-07", currentPage: "1", pageSize: "10" },
      () => soapAnswer("<response><resultCode>-1</resultCode><result><total>1</total></result></response>"),
    );
    expect(out.resultCode).toBe("SYSTEM_ERROR");
  });

  it("a typed hook adds what the declarative form cannot say, both ways; the validator still checks it", async () => {
    const check = {
      patientType: "0",
      certifcateType: "1",
      certifcateNo: "610102198503121234",
      cardType: "7",
      cardNo: "70000001",
      name: "张伟",
      sex: "1",
      birthday: "1985-03-12",
    };
    const out = await through("soap-call", "CheckCard", check, () =>
      soapAnswer(
        "<response><resultCode>0</resultCode><result><state>A</state><issued>2020-01-02</issued><hours>08:30:00-17:00:00</hours></result></response>",
      ),
    );
    expect(sentArgs(out.call!).inputXml).toBe(
      "<request><params><card><![CDATA[70000001]]></card><who><![CDATA[张]]></who></params></request>",
    );
    expect(out.data).toEqual({ cardStatus: "0", cardTime: "2020-01-02 08:30:00" });
    const bad = await through("soap-call", "CheckCard", check, () =>
      soapAnswer(
        "<response><resultCode>0</resultCode><result><state>A</state><issued>2020-1-2</issued><hours>08:30:00-17:00:00</hours></result></response>",
      ),
    );
    expect(bad.resultCode).toBe("ILLEGAL_RESPONSE");
    expect(bad.resultMessage).toContain("response.cardTime");
  });
});

describe("TENANTS", () => {
  it("an unknown hisProfile is a configuration error", async () => {
    const gw = gateway(() => ok({}), [tenant("no-such-profile")]);
    const { body } = refEnvelope({ service: "TestNet", format: "json", payload: JSON.stringify({ ip: "1.1.1.1" }) });
    const reply = refReadReply(await (await gw.fetch("/wd/api", post(body))).text());
    expect(reply.resultCode).toBe("SYSTEM_ERROR");
    expect(gw.calls).toHaveLength(0);
  });
});
