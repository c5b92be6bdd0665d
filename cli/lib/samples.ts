import type { NoonValue } from "../../generated/enums.js";
import type { ServiceName, ServicePayloads } from "../../generated/types.js";

/**
 * What a sweep has learned so far: a real department, doctor and schedule from the hospital's own answers, the
 * hospital's ids for the order this run created. The requests of later services use them, so a check walks the
 * path the platform walks (departments -> doctors -> schedule -> register -> pay -> refund).
 */
export interface SampleContext {
  /** Prefix of every id this run makes up (orders, trades, refunds): unique per run, easy to find in the HIS. */
  runId: string;
  /** Beijing dates and time (the standard's times are the platform's local time). */
  today: string;
  yesterday: string;
  weekAgo: string;
  nextWeek: string;
  now: string;
  departmentId?: string;
  doctorId?: string;
  scheduleId?: string;
  timeId?: string;
  registerDate?: string;
  noon?: NoonValue;
  startTime?: string;
  endTime?: string;
  fee?: { registerFee: number; treatFee: number; serviceFee: number; otherFee: number };
  hospitalOrderId?: string;
  hospitalTradeId?: string;
  hospitalRefundId?: string;
}

const BEIJING_MS = 8 * 3600_000;

export function newContext(clock: Date = new Date()): SampleContext {
  const at = (days: number) => new Date(clock.getTime() + BEIJING_MS + days * 86400_000).toISOString();
  const now = at(0);
  const random = Math.floor(Math.random() * 1000)
    .toString()
    .padStart(3, "0");
  return {
    runId: `HGCHK${now.slice(0, 19).replace(/\D/g, "")}${random}`,
    today: now.slice(0, 10),
    yesterday: at(-1).slice(0, 10),
    weekAgo: at(-7).slice(0, 10),
    nextWeek: at(7).slice(0, 10),
    now: `${now.slice(0, 10)} ${now.slice(11, 19)}`,
  };
}

// A made-up adult patient. Hospitals that check identity numbers will answer a business code, which a check
// counts as reachable; give a real test patient with `--samples` to exercise the happy path.
const PATIENT = {
  name: "测试患者",
  certifcateType: 1,
  certifcateNo: "110101199001010000",
  sex: 1,
  birthday: "1990-01-01",
  mobile: "13800000000",
  cardNo: "HG0000000001",
} as const;

const USER = [{ id: "certifcate", type: "1", value: PATIENT.certifcateNo }] as const;

type Builders = { [K in ServiceName]: (ctx: SampleContext) => ServicePayloads[K]["request"] };

const fee = (ctx: SampleContext) => ctx.fee ?? { registerFee: 100, treatFee: 0, serviceFee: 0, otherFee: 0 };
const total = (ctx: SampleContext) => {
  const f = fee(ctx);
  return f.registerFee + f.treatFee + f.serviceFee + f.otherFee;
};

const builders: Builders = {
  TestNet: () => ({ ip: "127.0.0.1" }),
  GetDepartmentInfo: () => ({ currentPage: 1, pageSize: 10 }),
  GetDoctorInfo: (ctx) => ({
    ...(ctx.departmentId ? { departmentId: ctx.departmentId } : {}),
    currentPage: 1,
    pageSize: 10,
  }),
  GetScheduleInfo: (ctx) => ({
    departmentId: ctx.departmentId ?? "1",
    ...(ctx.doctorId ? { doctorId: ctx.doctorId } : {}),
    startDate: ctx.today,
    endDate: ctx.nextWeek,
    currentPage: 1,
    pageSize: 10,
  }),
  GetScheduleTimeInfo: (ctx) => ({
    departmentId: ctx.departmentId ?? "1",
    doctorId: ctx.doctorId ?? "1",
    registerDate: ctx.registerDate ?? ctx.today,
    // -1: every period of the day (the seed's extra value of this field).
    noon: ctx.noon ?? -1,
    ...(ctx.scheduleId ? { scheduleId: ctx.scheduleId } : {}),
  }),
  QueryStopRegister: (ctx) => ({
    departmentId: ctx.departmentId ?? "1",
    ...(ctx.doctorId ? { doctorId: ctx.doctorId } : {}),
    startDate: ctx.today,
    endDate: ctx.nextWeek,
    currentPage: 1,
    pageSize: 10,
  }),
  GetPatientInfo: () => ({ user: [...USER] }),
  CheckCard: () => ({
    patientType: 1,
    certifcateType: PATIENT.certifcateType,
    certifcateNo: PATIENT.certifcateNo,
    // At least one of medicalNo and cardNo (the seed's rule); a health card (cardType 1) of the made-up patient.
    cardType: 1,
    cardNo: PATIENT.cardNo,
    name: PATIENT.name,
    sex: PATIENT.sex,
    birthday: PATIENT.birthday,
  }),
  CreatePatient: () => ({
    patientType: 1,
    certifcateType: PATIENT.certifcateType,
    certifcateNo: PATIENT.certifcateNo,
    name: PATIENT.name,
    sex: PATIENT.sex,
    birthday: PATIENT.birthday,
    mobile: PATIENT.mobile,
  }),
  OrderRegister: (ctx) => ({
    orderId: ctx.runId,
    channelId: 1,
    scheduleId: ctx.scheduleId ?? "1",
    ...(ctx.timeId ? { timeId: ctx.timeId } : {}),
    departmentId: ctx.departmentId ?? "1",
    doctorId: ctx.doctorId ?? "1",
    registerDate: ctx.registerDate ?? ctx.today,
    noon: ctx.noon ?? 1,
    ...(ctx.startTime && ctx.endTime ? { startTime: ctx.startTime, endTime: ctx.endTime } : {}),
    ...fee(ctx),
    registerType: 3,
    patientName: PATIENT.name,
    patientMobile: PATIENT.mobile,
    patientBirthday: PATIENT.birthday,
    patientSex: PATIENT.sex,
    patientFlag: 0,
    orderTime: ctx.now,
    group: [{ flag: 0, rule: [...USER] }],
  }),
  Pay: (ctx) => ({
    businessType: 1,
    orderId: ctx.runId,
    ...(ctx.hospitalOrderId ? { hospitalOrderId: ctx.hospitalOrderId } : {}),
    tradeId: `${ctx.runId}T`,
    outTradeId: `${ctx.runId}W`,
    payTime: ctx.now,
    payMode: 2,
    payChannel: 1,
    payType: 101,
    isConcessions: 0,
    totalFee: total(ctx),
    payableFee: total(ctx),
    activityFee: 0,
    medicareFee: 0,
    realFee: total(ctx),
    user: [...USER],
  }),
  QueryRegister: (ctx) => ({
    orderId: ctx.runId,
    startDate: ctx.weekAgo,
    endDate: ctx.nextWeek,
    queryType: 0,
    currentPage: 1,
    pageSize: 10,
  }),
  Refund: (ctx) => ({
    businessType: 1,
    orderId: ctx.runId,
    ...(ctx.hospitalOrderId ? { hospitalOrderId: ctx.hospitalOrderId } : {}),
    tradeId: `${ctx.runId}T`,
    hospitalTradeId: ctx.hospitalTradeId ?? `${ctx.runId}HT`,
    refundId: `${ctx.runId}R`,
    refundChannel: 1,
    refundType: 101,
    totalFee: total(ctx),
    refundFee: total(ctx),
    refundTime: ctx.now,
    reason: "hisgate check: 测试订单退款",
    user: [...USER],
  }),
  NotifyRefund: (ctx) => ({
    businessType: 1,
    orderId: ctx.runId,
    tradeId: `${ctx.runId}T`,
    hospitalRefundId: ctx.hospitalRefundId ?? `${ctx.runId}HR`,
    refundId: `${ctx.runId}R`,
    totalFee: total(ctx),
    refundFee: total(ctx),
    refundTime: ctx.now,
  }),
  NotifyRegister: (ctx) => ({
    notifyType: 1,
    orderId: ctx.runId,
    hospitalOrderId: ctx.hospitalOrderId ?? `${ctx.runId}H`,
    notifyTime: ctx.now,
    reason: "hisgate check: 取消测试订单",
  }),
  GetStatement: (ctx) => ({ startDate: ctx.yesterday, endDate: ctx.yesterday }),
  RefundByHis: (ctx) => ({
    businessType: 1,
    refundFlag: 1,
    callback: 0,
    orderId: ctx.runId,
    hospitalOrderId: ctx.hospitalOrderId ?? `${ctx.runId}H`,
    hospitalRefundId: `${ctx.runId}HR`,
    refundTime: ctx.now,
    totalFee: total(ctx),
    refundFee: total(ctx),
    reason: "hisgate check: 医院发起退款",
  }),
  QueryRefund: (ctx) => ({ businessType: 1, orderId: ctx.runId, hospitalRefundId: `${ctx.runId}HR` }),
  DownloadStatement: (ctx) => ({ statementDate: ctx.yesterday }),
  StopRegister: (ctx) => ({
    departmentId: ctx.departmentId ?? "1",
    doctorId: ctx.doctorId ?? "1",
    date: ctx.registerDate ?? ctx.today,
    noon: ctx.noon ?? 1,
    reason: "hisgate check: 停诊测试",
    callback: 0,
    isRefund: 0,
  }),
  NotifyRegisterByHis: (ctx) => ({
    notifyType: 1,
    orderId: ctx.runId,
    hospitalOrderId: ctx.hospitalOrderId ?? `${ctx.runId}H`,
    notifyTime: ctx.now,
    reason: "hisgate check: 医院取消订单",
    callback: 0,
    isRefund: 0,
  }),
};

/** A realistic request for the service, valid against its generated request validator. */
export function sampleRequest(name: ServiceName, ctx: SampleContext): Record<string, unknown> {
  return builders[name](ctx) as unknown as Record<string, unknown>;
}

/** The order a check runs the platform -> hospital services in: the path a patient's booking takes. */
export const CHECK_ORDER: readonly ServiceName[] = [
  "TestNet",
  "GetDepartmentInfo",
  "GetDoctorInfo",
  "GetScheduleInfo",
  "GetScheduleTimeInfo",
  "QueryStopRegister",
  "GetPatientInfo",
  "CheckCard",
  "CreatePatient",
  "OrderRegister",
  "Pay",
  "QueryRegister",
  "Refund",
  "NotifyRefund",
  "NotifyRegister",
  "GetStatement",
];

type Rec = Record<string, unknown>;
const first = (v: unknown): Rec | undefined =>
  Array.isArray(v) && typeof v[0] === "object" ? (v[0] as Rec) : undefined;
const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** Takes what later requests can use from a service's (validated) answer. */
export function learn(ctx: SampleContext, name: ServiceName, answer: object | undefined): void {
  if (!answer) return;
  const data: Rec = Object.fromEntries(Object.entries(answer));
  switch (name) {
    case "GetDepartmentInfo": {
      const list = Array.isArray(data.department) ? (data.department as Rec[]) : [];
      const dept = list.find((d) => d.status === 1) ?? list[0];
      if (text(dept?.id)) ctx.departmentId = dept!.id as string;
      break;
    }
    case "GetDoctorInfo": {
      const list = Array.isArray(data.doctor) ? (data.doctor as Rec[]) : [];
      const doctor = list.find((d) => d.status === 1) ?? list[0];
      if (text(doctor?.id)) ctx.doctorId = doctor!.id as string;
      if (text(doctor?.departmentId)) ctx.departmentId = doctor!.departmentId as string;
      break;
    }
    case "GetScheduleInfo": {
      const schedule = first(data.schedule);
      const date = first(schedule?.date);
      const noons = Array.isArray(date?.noon) ? (date!.noon as Rec[]) : [];
      const noon = noons.find((n) => n.status === 1) ?? noons[0];
      if (!schedule || !date || !noon) break;
      if (text(schedule.doctorId)) ctx.doctorId = schedule.doctorId as string;
      ctx.registerDate = date.registerDate as string;
      ctx.scheduleId = noon.id as string;
      ctx.noon = noon.noon as NoonValue;
      ctx.fee = {
        registerFee: noon.registerFee as number,
        treatFee: noon.treatFee as number,
        serviceFee: noon.serviceFee as number,
        otherFee: noon.otherFee as number,
      };
      break;
    }
    case "GetScheduleTimeInfo": {
      const time = first(data.time);
      if (!time) break;
      ctx.timeId = time.id as string;
      ctx.startTime = time.startTime as string;
      ctx.endTime = time.endTime as string;
      if (text(time.scheduleId)) ctx.scheduleId = time.scheduleId as string;
      break;
    }
    case "OrderRegister":
      if (text(data.hospitalOrderId)) ctx.hospitalOrderId = data.hospitalOrderId as string;
      break;
    case "Pay":
      if (text(data.hospitalTradeId)) ctx.hospitalTradeId = data.hospitalTradeId as string;
      break;
    case "Refund":
      if (text(data.hospitalRefundId)) ctx.hospitalRefundId = data.hospitalRefundId as string;
      break;
    default:
      break;
  }
}
