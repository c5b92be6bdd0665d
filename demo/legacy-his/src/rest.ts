// KY-HIS's registration service (API.md §2 and §4): REST JSON under /his/api, `{code: "1", message, data}`, snake_case
// fields, money in 元, dates yyyyMMdd, times HH:mm:ss, query bounds in Unix seconds, "" / -1 / [] for "no value".
import { Hono } from "hono";
import type { GetPatientInfoRequestUser } from "../../../generated/types.js";
import { findOrderBy, orderKey } from "../../his/src/records.js";
import { ensureSeeded, scheduleKey, shanghaiNow, values } from "../../his/src/data.js";
import type { Department, Now, Order, Patient, Schedule, Store } from "../../his/src/data.js";
import type { LegacyEnv } from "./env.js";
import { ALL_ROWS, BusinessError, query, serve } from "./records.js";
import {
  CARD_TYPE,
  CHANNEL,
  compactDate,
  dateOfUnix,
  ID_TYPE,
  longRange,
  longTime,
  NOON,
  ORDER_STATUS,
  ParamError,
  Params,
  QUERY_TYPE,
  REG_LEVEL,
  SCHEDULE_STATE,
  SEX,
  shortTime,
  TITLE,
  TITLE_LEVEL,
  yn,
  yuanOf,
} from "./wire.js";

/** The header every REST call carries (API.md §1.1); the operator may set another with the API_KEY variable. */
export const DEFAULT_API_KEY = "demo-legacy-key";

/** KY-HIS's REST result codes (API.md §1.6), by the demo hospital's S-code. */
const REST_CODES: Readonly<Record<string, readonly [code: string, message: string]>> = {
  ILLEGAL_ARGUMENT: ["1001", "参数错误"],
  S03000201: ["2001", "患者不存在"],
  S05010902: ["2001", "患者不存在"],
  S03000202: ["2002", "手机号与档案不符"],
  S03000101: ["2003", "建档失败"],
  S05010703: ["2003", "建档失败"],
  S05010704: ["2004", "院内存在多个患者档案"],
  S03000301: ["2005", "卡信息与档案不符"],
  S05010709: ["2005", "卡信息与档案不符"],
  S05010710: ["2006", "证件信息与档案不符"],
  S05010705: ["3001", "排班无效"],
  S05010707: ["3002", "号源已满"],
  S05010708: ["3003", "号源已被占用"],
  S05010702: ["3004", "不符合科室挂号条件"],
  S05010701: ["3005", "挂号规则限制"],
  S05010706: ["3006", "平台订单号已存在"],
  S05010801: ["4001", "订单不存在"],
  S05010802: ["4002", "订单已支付"],
  S05010803: ["4003", "订单已取消"],
  S05010804: ["4004", "订单已取号"],
};

/** The longest span a schedule or stop query may cover: schedules are published a week ahead. */
const MAX_QUERY_DAYS = 31;

type Handler = (p: Params, store: Store, now: Now) => unknown;

const withDetail = (message: string, detail?: string): string => (detail ? `${message}：${detail}` : message);

function departments(store: Store): Map<string, Department> {
  return new Map(values<Department>(store, "dept:").map((d) => [d.id, d]));
}

function span(start: string, end: string): void {
  if (Date.parse(end) - Date.parse(start) > MAX_QUERY_DAYS * 86_400_000)
    throw new ParamError(`查询范围不能超过 ${MAX_QUERY_DAYS} 天`);
}

/** query_type / query_value / query_sub_type -> one standard user rule. */
function userRule(p: Params, required: true): GetPatientInfoRequestUser;
function userRule(p: Params, required: false): GetPatientInfoRequestUser | undefined;
function userRule(p: Params, required: boolean): GetPatientInfoRequestUser | undefined {
  const id = p.code("query_type", QUERY_TYPE, required as false);
  if (id === undefined) return undefined;
  const type = p.text("query_sub_type", false, 16);
  return { id, ...(type ? { type } : {}), value: p.text("query_value", true, 32) };
}

const handlers: Record<string, Handler> = {
  "doctor/list"(p, store, now) {
    const page = p.int("page", 1, 100_000);
    const pageSize = p.int("page_size", 1, 100);
    const departmentId = p.text("dept_id", false, 32);
    const doctorId = p.text("doctor_code", false, 32);
    const found = query(
      "GetDoctorInfo",
      { ...(departmentId ? { departmentId } : {}), ...(doctorId ? { doctorId } : {}), ...ALL_ROWS },
      store,
      now,
      "S05010201",
    );
    const names = departments(store);
    const all = found?.doctor ?? [];
    return {
      total: all.length,
      page,
      page_size: pageSize,
      list: all.slice((page - 1) * pageSize, page * pageSize).map((d) => ({
        doctor_code: d.id,
        doctor_name: d.name,
        dept_id: d.departmentId,
        dept_name: names.get(d.departmentId)?.name ?? "",
        sex: SEX.legacy(d.sex),
        birth_date: compactDate(d.birthday),
        title_name: TITLE.legacy(d.professionTitle),
        title_level: TITLE_LEVEL.legacy(d.office),
        good_at: d.expertise ?? "",
        intro: d.introduction ?? "",
        tel: d.telephone ?? "",
        mobile: "",
        photo_url: d.picture ?? "",
        sort_no: d.sort,
        status: "1",
      })),
    };
  },

  "schedule/list"(p, store, now) {
    const departmentId = p.text("dept_id", true, 32);
    const doctorId = p.text("doctor_code", false, 32);
    const startDate = dateOfUnix(p.int("begin_time", 0, 4_102_444_800));
    const endDate = dateOfUnix(p.int("end_time", 0, 4_102_444_800));
    span(startDate, endDate);
    const found = query(
      "GetScheduleInfo",
      { departmentId, ...(doctorId ? { doctorId } : {}), startDate, endDate, ...ALL_ROWS },
      store,
      now,
      "S05010301",
    );
    const names = departments(store);
    const rows = (found?.schedule ?? []).flatMap((doctor) =>
      doctor.date.flatMap((day) =>
        day.noon.map((n) => {
          const deptId = store.get<Schedule>(scheduleKey(n.id))?.departmentId ?? departmentId;
          return {
            schedule_id: n.id,
            dept_id: deptId,
            dept_name: names.get(deptId)?.name ?? "",
            doctor_code: doctor.doctorId,
            doctor_name: doctor.doctorName,
            clinic_date: compactDate(day.registerDate),
            week_day: day.weekday,
            noon_name: NOON.legacy(n.noon),
            begin_time: longTime(n.startTime),
            end_time: longTime(n.endTime),
            state: SCHEDULE_STATE.legacy(n.status),
            total_num: n.totalCount,
            remain_num: n.remainCount,
            reg_fee: yuanOf(n.registerFee),
            diag_fee: yuanOf(n.treatFee),
            service_fee: yuanOf(n.serviceFee),
            other_fee: yuanOf(n.otherFee),
            reg_level: REG_LEVEL.legacy(n.level),
            sex_limit: n.sexLimit ? SEX.legacy(n.sexLimit) : "",
            age_max: n.ageLimitMax !== undefined && n.ageLimitMax < 150 ? n.ageLimitMax : -1,
            age_min: n.ageLinitMin ? n.ageLinitMin : -1,
            visit_address: n.visitAddress ?? "",
            take_address: n.takeAddress ?? "",
            take_time: longRange(n.takeTime),
            has_period: yn(n.isTime === 1),
            update_time: n.updateTime ?? "",
          };
        }),
      ),
    );
    const noonOrder = (name: string) => NOON.std(name);
    return rows.sort(
      (a, b) =>
        a.clinic_date.localeCompare(b.clinic_date) ||
        a.doctor_code.localeCompare(b.doctor_code) ||
        noonOrder(a.noon_name) - noonOrder(b.noon_name),
    );
  },

  "schedule/periods"(p, store, now) {
    const noonName = p.text("noon_name", false, 8);
    const scheduleId = p.text("schedule_id", false, 256);
    const found = query(
      "GetScheduleTimeInfo",
      {
        departmentId: p.text("dept_id", true, 32),
        doctorId: p.text("doctor_code", true, 32),
        registerDate: p.date("clinic_date", true),
        // 全天 or nothing: every period of the day (the standard's -1).
        noon: (noonName === undefined || noonName === "全天" ? -1 : NOON.std(noonName)) as never,
        ...(scheduleId ? { scheduleId } : {}),
      },
      store,
      now,
      "S05010401",
    );
    return (found?.time ?? []).map((t) => ({
      schedule_id: t.scheduleId ?? "",
      period_id: t.id,
      noon_name: NOON.legacy(t.noon),
      begin_time: longTime(t.startTime),
      end_time: longTime(t.endTime),
      total_num: t.totalCount,
      remain_num: t.remainCount,
      state: SCHEDULE_STATE.legacy(t.status),
    }));
  },

  "schedule/stops"(p, store, now) {
    const doctorId = p.text("doctor_code", false, 32);
    const startDate = p.date("begin_date", true);
    const endDate = p.date("end_date", true);
    span(startDate, endDate);
    const found = query(
      "QueryStopRegister",
      { departmentId: p.text("dept_id", true, 32), ...(doctorId ? { doctorId } : {}), startDate, endDate, ...ALL_ROWS },
      store,
      now,
      "S05011101",
    );
    return (found?.stop ?? []).map((s) => ({
      schedule_id: s.scheduleId,
      dept_id: s.departmentId,
      doctor_code: s.doctorId,
      clinic_date: compactDate(s.date),
      noon_name: NOON.legacy(s.noon),
      stop_reason: s.reason,
    }));
  },

  "patient/create"(p, store, now) {
    const address = p.text("address", false, 128);
    const issueDate = p.date("id_issue_date");
    const validDate = p.date("id_valid_date");
    const password = p.text("card_password", false, 32);
    const created = serve(
      "CreatePatient",
      {
        patientType: p.text("guardian_flag", true, 1) === "Y" ? 0 : 1,
        certifcateType: p.code("id_type", ID_TYPE, true),
        certifcateNo: p.text("id_no", true, 32),
        name: p.text("patient_name", true, 32),
        sex: p.code("sex", SEX, true),
        birthday: p.date("birth_date", true),
        mobile: p.text("phone", true, 16),
        ...(address ? { address } : {}),
        ...(issueDate ? { issueDate } : {}),
        ...(validDate ? { validDate } : {}),
        ...(password ? { password } : {}),
      },
      store,
      now,
    );
    const patient = store.get<Patient>(`pat:${created.patientId}`);
    return {
      patient_id: created.patientId,
      medical_no: created.medicalNo ?? "",
      card_no: patient?.cards.find((c) => c.cardType === 7)?.cardNo ?? "",
      create_time: created.createTime ?? "",
    };
  },

  "patient/query"(p, store, now) {
    const phone = p.text("phone", false, 16);
    const found = serve(
      "GetPatientInfo",
      { user: [userRule(p, true), ...(phone ? [{ id: "mobile" as const, value: phone }] : [])] },
      store,
      now,
    );
    const record = found.patient?.[0];
    return {
      patient_id: found.patientId,
      medical_no: record?.medicalNo ?? "",
      record_state: String(record?.status ?? 0),
      patient_name: found.name,
      sex: SEX.legacy(found.sex),
      birth_date: compactDate(found.birthday),
      age: found.age,
      id_type: ID_TYPE.legacy(found.certifcateType),
      id_no: found.certifcateNo,
      guardian_flag: yn(found.patientType === 0),
      child_flag: yn(found.patientFlag === 1),
      phone: found.mobile ?? "",
      address: found.address ?? "",
      create_time: found.createTime,
      cards: (record?.card ?? []).map((c) => ({
        card_type: CARD_TYPE.legacy(c.cardType),
        card_no: c.cardNo,
        card_state: String(c.cardStatus),
        balance: yuanOf(c.balance),
        issue_time: c.cardTime,
        last_use_time: c.lastTime ?? "",
      })),
    };
  },

  "card/verify"(p, store, now) {
    const cardNo = p.text("card_no", false, 32);
    const medicalNo = p.text("medical_no", false, 32);
    if (!cardNo && !medicalNo) throw new ParamError("card_no 与 medical_no 至少传一个");
    const cardType = p.code("card_type", CARD_TYPE);
    const checked = serve(
      "CheckCard",
      {
        patientType: p.text("guardian_flag", false, 1) === "Y" ? 0 : 1,
        certifcateType: p.code("id_type", ID_TYPE, true),
        certifcateNo: p.text("id_no", true, 32),
        ...(cardType ? { cardType } : {}),
        ...(cardNo ? { cardNo } : {}),
        ...(medicalNo ? { medicalNo } : {}),
        name: p.text("patient_name", true, 16),
        sex: p.code("sex", SEX, true),
        birthday: p.date("birth_date", true),
      },
      store,
      now,
    );
    return {
      medical_no: checked.medicalNo ?? "",
      card_state: String(checked.cardStatus),
      issue_time: checked.cardTime,
      last_use_time: checked.lastTime ?? "",
    };
  },

  "register/create"(p, store, now) {
    const orderId = p.text("platform_order_no", true, 64);
    const timeId = p.text("period_id", false, 32);
    const begin = p.text("begin_time", false, 8);
    const end = p.text("end_time", false, 8);
    const agentId = p.text("operator", false, 128);
    const regType = p.text("reg_type", true, 1);
    if (regType !== "1" && regType !== "2") throw new ParamError("reg_type 取值不正确");
    const visitKind = p.text("visit_kind", false, 1) ?? "0";
    if (!["0", "1", "2"].includes(visitKind)) throw new ParamError("visit_kind 取值不正确");
    const booked = serve(
      "OrderRegister",
      {
        orderId,
        channelId: p.code("channel_code", CHANNEL, true),
        scheduleId: p.text("schedule_id", true, 32),
        ...(timeId ? { timeId } : {}),
        departmentId: p.text("dept_id", true, 32),
        doctorId: p.text("doctor_code", true, 32),
        registerDate: p.date("clinic_date", true),
        noon: p.code("noon_name", NOON, true),
        ...(begin ? { startTime: shortTime(begin, "begin_time") } : {}),
        ...(end ? { endTime: shortTime(end, "end_time") } : {}),
        registerFee: p.fen("reg_fee"),
        treatFee: p.fen("diag_fee"),
        serviceFee: p.fen("service_fee"),
        otherFee: p.fen("other_fee"),
        // 预约挂号 is booked directly (the standard's 3); KY-HIS has no separate lock step.
        registerType: regType === "1" ? 1 : 3,
        patientName: p.text("patient_name", true, 16),
        patientMobile: p.text("phone", true, 16),
        patientBirthday: p.date("birth_date", true),
        patientSex: p.code("sex", SEX, true),
        patientFlag: p.text("child_flag", true, 1) === "Y" ? 1 : 0,
        ...(agentId ? { agentId } : {}),
        orderTime: p.datetime("order_time"),
        group: [{ flag: Number(visitKind) as 0 | 1 | 2, rule: [userRule(p, true)] }],
      },
      store,
      now,
    );
    const order = store.get<Order>(orderKey(orderId));
    return {
      his_order_no: booked.hospitalOrderId,
      seq_no: booked.clinicNo ?? "",
      take_time: longRange(booked.takeTime),
      visit_time: longRange(booked.visitTime),
      visit_address: booked.visitAddress ?? "",
      patient_id: booked.patientId,
      visit_no: booked.visitNo ?? "",
      card_type: CARD_TYPE.legacy(booked.cardType),
      card_no: booked.cardNo ?? "",
      pay_amount: yuanOf(order?.realFee ?? 0),
      discount_flag: yn(booked.isConcessions === 1),
      tips: booked.remark ?? "",
    };
  },

  "register/status"(p, store, now) {
    const action = p.text("action", true, 8);
    if (action !== "CANCEL" && action !== "TAKE") throw new ParamError("action 应为 CANCEL 或 TAKE");
    const hospitalTradeId = p.text("his_pay_no", false, 64);
    // A cancellation is recorded with its reason, 平台取消 when the caller gives none.
    const reason = p.text("reason", false, 128) ?? (action === "CANCEL" ? "平台取消" : undefined);
    serve(
      "NotifyRegister",
      {
        notifyType: action === "CANCEL" ? 1 : 2,
        orderId: p.text("platform_order_no", true, 64),
        hospitalOrderId: p.text("his_order_no", true, 64),
        ...(hospitalTradeId ? { hospitalTradeId } : {}),
        notifyTime: p.datetime("action_time"),
        ...(reason ? { reason } : {}),
      },
      store,
      now,
    );
    return null;
  },

  "register/query"(p, store, now) {
    const ids = {
      orderId: p.text("platform_order_no", false, 64),
      hospitalOrderId: p.text("his_order_no", false, 64),
      hospitalTradeId: p.text("his_pay_no", false, 64),
      hospitalRefundId: p.text("his_refund_no", false, 64),
    };
    const offset = p.int("offset", 0, 1_000_000);
    const limit = p.int("limit", 1, 100);
    // A refund number alone: the records know which order it refunded (the standard's query needs that order).
    if (ids.hospitalRefundId && !ids.orderId && !ids.hospitalOrderId && !ids.hospitalTradeId) {
      ids.orderId = findOrderBy(store, "refund", ids.hospitalRefundId, now)?.orderId;
      if (!ids.orderId) return { total: 0, rows: [] };
    }
    const byId = Object.values(ids).some((v) => v !== undefined);
    // Without an order number the patient is the key (query_type and query_value required).
    const user = byId ? userRule(p, false) : userRule(p, true);
    const found = query(
      "QueryRegister",
      {
        ...Object.fromEntries(Object.entries(ids).filter(([, v]) => v !== undefined)),
        ...(user ? { user: [user] } : {}),
        startDate: dateOfUnix(p.int("begin_time", 0, 4_102_444_800)),
        endDate: dateOfUnix(p.int("end_time", 0, 4_102_444_800)),
        queryType: p.code("status", ORDER_STATUS) ?? 0,
        ...ALL_ROWS,
      },
      store,
      now,
      "S05010901",
    );
    const all = found?.order ?? [];
    return {
      total: all.length,
      rows: all.slice(offset, offset + limit).map((o) => ({
        platform_order_no: o.orderId,
        his_order_no: o.hospitalOrderId,
        his_pay_no: o.hospitalTradeId ?? "",
        invoice_no: o.receiptId ?? "",
        visit_no: o.visitNo ?? "",
        channel_code: CHANNEL.legacy(o.channelId),
        schedule_id: o.scheduleId,
        period_id: o.timeId ?? "",
        dept_id: o.departmentId,
        dept_name: o.departmenName,
        doctor_code: o.doctorId,
        doctor_name: o.doctorName,
        clinic_date: compactDate(o.registerDate),
        noon_name: NOON.legacy(o.noon),
        begin_time: longTime(o.startTime),
        end_time: longTime(o.endTime),
        seq_no: o.clinicNo ?? "",
        visit_address: o.visitAddress ?? "",
        take_time: longRange(o.getTime),
        reg_fee: yuanOf(o.registerFee),
        diag_fee: yuanOf(o.treatFee),
        service_fee: yuanOf(o.serviceFee),
        other_fee: yuanOf(o.otherFee),
        total_amount: yuanOf(o.totalFee),
        pay_amount: yuanOf(o.realFee),
        order_time: o.orderTime,
        pay_state: String(o.isPay),
        pay_time: o.payTime ?? "",
        take_flag: yn(o.isTake === 1),
        checkin_time: o.takeTime ?? "",
        cancel_flag: yn(o.isCancel === 1),
        cancel_time: o.cancelTime ?? "",
        refund_state: String(o.isRefund),
        refund_amount: yuanOf(o.refundlFee),
        stop_flag: yn(o.isStop === 1),
        noshow_flag: yn(o.noshow === 1),
        patient_id: o.patientId,
        medical_no: o.medicalNo ?? "",
        id_type: ID_TYPE.legacy(o.certifcateType),
        id_no: o.certifcateNo ?? "",
        card_type: CARD_TYPE.legacy(o.cardType),
        card_no: o.cardNo ?? "",
        patient_name: o.patientName,
        sex: SEX.legacy(o.patientSex),
        birth_date: compactDate(o.patientBirthday),
        address: o.patientAddress ?? "",
        phone: o.patientMobile ?? "",
        remark: o.remark ?? "",
      })),
    };
  },
};

export const REST_PATHS = ["ping", ...Object.keys(handlers)].map((p) => `/his/api/${p}`);

interface Answer {
  code: string;
  message: string;
  data: unknown;
}

const success = (data: unknown): Answer => ({ code: "1", message: "成功", data });
const failure = (code: string, message: string): Answer => ({ code, message: message.slice(0, 200), data: null });

/** Runs a handler and words whatever it throws as KY-HIS would. */
function answer(run: () => unknown): Answer {
  try {
    return success(run());
  } catch (err) {
    if (err instanceof ParamError) return failure("1001", `参数错误：${err.message}`);
    if (!(err instanceof BusinessError)) throw err;
    const [code, message] = REST_CODES[err.code] ?? ["0", "业务处理失败"];
    return failure(code, withDetail(message, err.detail));
  }
}

export const rest = new Hono<LegacyEnv>();

rest.use("/his/api/*", async (c, next) => {
  const key = c.env.API_KEY || DEFAULT_API_KEY;
  if (c.req.header("x-api-key") !== key) return c.json(failure("1002", "认证失败：X-Api-Key 缺少或错误"));
  await next();
});

rest.get("/his/api/ping", (c) => {
  const p = new Params({ client_ip: c.req.query("client_ip") });
  return c.json(
    answer(() => {
      p.text("client_ip", false, 64);
      return { server_time: Math.floor(Date.now() / 1000), version: "3.2" };
    }),
  );
});

rest.post("/his/api/*", async (c) => {
  const handler = Object.hasOwn(handlers, c.req.path.slice("/his/api/".length))
    ? handlers[c.req.path.slice("/his/api/".length)]!
    : undefined;
  if (!handler) return c.json(failure("-1", "接口不存在"), 404);
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    return c.json(failure("1001", "参数错误：请求体不是有效的 JSON"));
  }
  const now = shanghaiNow();
  ensureSeeded(c.env.store, now);
  return c.json(answer(() => handler(Params.of(body), c.env.store, now)));
});
