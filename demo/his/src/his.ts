// The hospital's side of chapter 2.1: the sixteen services the platform calls, answering the plain-JSON contract of
// generated/openapi.json. Every handler is synchronous, so inside the Durable Object each runs without interleaving.
import type { ServicePayloads } from "../../../generated/types.js";
import {
  ageOn,
  departmentTree,
  ensureSeeded,
  scheduleDate,
  scheduleKey,
  values,
  weekdayName,
  type Department,
  type Doctor,
  type Now,
  type Order,
  type Patient,
  type Schedule,
  type Store,
} from "./data.js";
import {
  addRefund,
  allOrders,
  cancelOrder,
  cardFor,
  certificateType,
  createPatient,
  fail,
  findOrderBy,
  isNoShow,
  isRefundState,
  loadOrder,
  matchPatient,
  newId,
  platformRefunded,
  refundedTotal,
  saveOrder,
  scheduleStatus,
  type UserRule,
} from "./records.js";

export const HIS_SERVICES = [
  "TestNet",
  "Pay",
  "Refund",
  "NotifyRefund",
  "GetStatement",
  "CreatePatient",
  "GetPatientInfo",
  "CheckCard",
  "GetDepartmentInfo",
  "GetDoctorInfo",
  "GetScheduleInfo",
  "GetScheduleTimeInfo",
  "OrderRegister",
  "NotifyRegister",
  "QueryRegister",
  "QueryStopRegister",
] as const;
export type HisService = (typeof HIS_SERVICES)[number];

type Req<K extends HisService> = ServicePayloads[K]["request"];
type Res<K extends HisService> = ServicePayloads[K]["response"];
/** A handler returns the response data (undefined for the services whose response is 无) or throws BusinessError. */
type Handler<K extends HisService> = (req: Req<K>, store: Store, now: Now) => Res<K> | undefined;

function page<T>(items: T[], currentPage: number, pageSize: number): T[] {
  if (currentPage < 1 || pageSize < 1) fail("ILLEGAL_ARGUMENT", "currentPage 和 pageSize 必须大于 0");
  return items.slice((currentPage - 1) * pageSize, currentPage * pageSize);
}

const inRange = (date: string | undefined, start: string, end: string): boolean =>
  !!date && date.slice(0, 10) >= start && date.slice(0, 10) <= end;

function schedulesBetween(store: Store, start: string, end: string): Schedule[] {
  const out: Schedule[] = [];
  for (let d = start; d <= end; d = new Date(Date.parse(`${d}T00:00:00Z`) + 86400_000).toISOString().slice(0, 10)) {
    out.push(...values<Schedule>(store, `sched:${d.replaceAll("-", "")}`));
    if (out.length > 5000) break;
  }
  return out;
}

function patientView(p: Patient, now: Now): Res<"GetPatientInfo"> {
  const cards = [...p.cards]
    .sort((a, b) => (b.lastTime ?? b.cardTime).localeCompare(a.lastTime ?? a.cardTime))
    .slice(0, 10);
  return {
    createTime: p.createTime,
    patientId: p.patientId,
    patientType: p.patientType,
    patientFlag: p.patientFlag,
    certifcateType: p.certifcateType,
    certifcateNo: p.certifcateNo,
    name: p.name,
    sex: p.sex,
    birthday: p.birthday,
    age: ageOn(p.birthday, now.date),
    ...(p.address ? { address: p.address } : {}),
    mobile: p.mobile,
    patient: [{ medicalNo: p.medicalNo, status: 0, card: cards }],
  };
}

function orderView(o: Order, now: Now): Res<"QueryRegister">["order"][number] {
  return {
    orderId: o.orderId,
    hospitalOrderId: o.hospitalOrderId,
    ...(o.hospitalTradeId ? { hospitalTradeId: o.hospitalTradeId } : {}),
    ...(o.receiptId ? { receiptId: o.receiptId } : {}),
    visitNo: o.visitNo,
    channelId: o.channelId,
    scheduleId: o.scheduleId,
    ...(o.timeId ? { timeId: o.timeId } : {}),
    departmentId: o.departmentId,
    departmenName: o.departmentName,
    doctorId: o.doctorId,
    doctorName: o.doctorName,
    registerDate: o.registerDate,
    noon: o.noon,
    ...(o.startTime ? { startTime: o.startTime, endTime: o.endTime } : {}),
    clinicNo: o.clinicNo,
    visitAddress: o.visitAddress,
    getTime: o.getTime,
    registerFee: o.registerFee,
    treatFee: o.treatFee,
    serviceFee: o.serviceFee,
    otherFee: o.otherFee,
    totalFee: o.totalFee,
    realFee: o.realFee,
    orderTime: o.orderTime,
    isPay: o.isPay,
    ...(o.payTime ? { payTime: o.payTime } : {}),
    isTake: o.isTake,
    ...(o.takeTime ? { takeTime: o.takeTime } : {}),
    isCancel: o.isCancel,
    isRefund: isRefundState(o),
    refundlFee: platformRefunded(o),
    isStop: o.isStop,
    ...(o.cancelTime ? { cancelTime: o.cancelTime } : {}),
    noshow: isNoShow(o, now) ? 1 : 0,
    patientId: o.patientId,
    medicalNo: o.medicalNo,
    ...(o.certifcateNo ? { certifcateType: o.certifcateType, certifcateNo: o.certifcateNo } : {}),
    ...(o.cardNo ? { cardType: o.cardType, cardNo: o.cardNo } : {}),
    patientName: o.patientName,
    patientSex: o.patientSex,
    patientBirthday: o.patientBirthday,
    ...(o.patientAddress ? { patientAddress: o.patientAddress } : {}),
    patientMobile: o.patientMobile,
    ...(o.remark ? { remark: o.remark.slice(0, 128) } : {}),
  };
}

/** Payments and refunds between two dates (inclusive), oldest first: the hospital's books. */
export function transactions(store: Store, now: Now, start: string, end: string): Res<"GetStatement">["transaction"] {
  const rows: Res<"GetStatement">["transaction"] = [];
  for (const o of allOrders(store, now)) {
    if (o.isPay !== 1) continue;
    const common = {
      orderId: o.orderId,
      hospitalOrderId: o.hospitalOrderId,
      ...(o.outTradeId ? { outTradeId: o.outTradeId } : {}),
      payType: o.payType ?? 999,
      payChannel: o.payChannel ?? 99,
      patientId: o.patientId,
      patientName: o.patientName,
      ...(o.cardNo ? { cardType: o.cardType, cardNo: o.cardNo } : {}),
      ...(o.certifcateNo ? { certifcateType: o.certifcateType, certifcateNo: o.certifcateNo } : {}),
    };
    if (inRange(o.payTime, start, end))
      rows.push({ ...common, transactionTime: o.payTime!, transactionFee: o.paidFee, transactionType: 1 });
    for (const r of o.refunds) {
      if (r.kind !== 1 || !inRange(r.refundTime, start, end)) continue;
      rows.push({
        ...common,
        transactionTime: r.refundTime,
        ...(r.refundId ? { refundId: r.refundId } : {}),
        ...(r.hospitalRefundId ? { hospitalRefundId: r.hospitalRefundId } : {}),
        refundFee: r.refundFee,
        transactionType: 2,
      });
    }
  }
  return rows.sort((a, b) => a.transactionTime.localeCompare(b.transactionTime));
}

function requireOrder(
  store: Store,
  now: Now,
  orderId: string,
  hospitalOrderId: string | undefined,
  code: string,
): Order {
  const order = loadOrder(store, orderId, now);
  if (!order || (hospitalOrderId && order.hospitalOrderId !== hospitalOrderId)) return fail(code);
  return order;
}

const handlers: { [K in HisService]: Handler<K> } = {
  TestNet: (_req, _store, now) => ({ systemTime: now.datetime }),

  // -------------------------------------------------------------------------------------------------------------
  // 2.1.2 payments

  Pay(req, store, now) {
    if (req.businessType > 1) fail("S02000101", "本院仅开通挂号业务");
    const order = requireOrder(store, now, req.orderId, req.hospitalOrderId, "S02000101");
    if (store.get(`idx:out:${req.outTradeId}`) !== undefined) fail("S02000107", `支付流水号 ${req.outTradeId} 已使用`);
    if (order.isCancel && order.refunds.length === 0) fail("S02000103");
    if (order.refunds.length > 0) fail("S02000104");
    if (order.isPay !== 0) fail("S02000102");
    if (req.totalFee !== order.totalFee) fail("S02000105", `订单金额为 ${order.totalFee} 分`);
    if (req.payableFee !== order.realFee || req.payableFee - req.activityFee - req.medicareFee !== req.realFee) {
      fail("S02000105", `应付 ${order.realFee} 分，实付应为应付减活动优惠和统筹支付`);
    }
    Object.assign(order, {
      isPay: 1,
      payTime: req.payTime,
      paidFee: req.payableFee,
      tradeId: req.tradeId,
      outTradeId: req.outTradeId,
      hospitalTradeId: newId(store, "HT", now),
      receiptId: req.receiptId ?? newId(store, "RC", now),
      payType: req.payType,
      payChannel: req.payChannel,
    } satisfies Partial<Order>);
    saveOrder(store, order);
    return {
      hospitalTradeId: order.hospitalTradeId!,
      receiptId: order.receiptId,
      remark: `请于 ${order.registerDate} ${order.getTime} 凭就诊卡或身份证到门诊楼一楼自助机取号`,
      business: [{ clinicNo: order.clinicNo, visitAddress: order.visitAddress, visitNo: order.visitNo }],
    };
  },

  Refund(req, store, now) {
    const order = requireOrder(store, now, req.orderId, req.hospitalOrderId, "S02000301");
    if (order.hospitalTradeId && req.hospitalTradeId !== order.hospitalTradeId) fail("S02000301", "医院支付单号不符");
    const again = order.refunds.find((r) => r.refundId === req.refundId);
    if (again) return { hospitalRefundId: again.hospitalRefundId!, refundFlag: again.kind };
    if (order.isPay === 0) fail(order.isCancel ? "S02000303" : "S02000302", "订单未支付");
    if (order.isPay === 2) fail("S02000306", "非平台支付的订单请到窗口退款");
    if (order.isTake === 1) fail("S02000306", "已取号的订单不能退款");
    if (order.registerDate < now.date) fail("S02000306", "就诊日期已过");
    if (refundedTotal(order) >= order.paidFee) fail("S02000304");
    if (req.totalFee !== order.paidFee || req.refundFee <= 0) fail("S02000302", `实际支付 ${order.paidFee} 分`);
    if (req.refundFee > order.paidFee - refundedTotal(order)) fail("S02000305");
    const hospitalRefundId = newId(store, "HR", now);
    addRefund(store, order, {
      refundId: req.refundId,
      hospitalRefundId,
      refundFee: req.refundFee,
      refundTime: req.refundTime,
      reason: req.reason,
      kind: 1,
    });
    saveOrder(store, order);
    return { hospitalRefundId, refundFlag: 1 };
  },

  NotifyRefund(req, store, now) {
    const order = requireOrder(store, now, req.orderId, undefined, "S02000401");
    const known = order.refunds.find(
      (r) => r.refundId === req.refundId || (r.hospitalRefundId && r.hospitalRefundId === req.hospitalRefundId),
    );
    if (known) {
      // A repeated notification is answered SUCCESS once the amounts agree.
      if (known.refundFee !== req.refundFee) fail("S02000402", `该退款单金额为 ${known.refundFee} 分`);
      known.notified = true;
      known.refundId ??= req.refundId;
    } else {
      // A refund the platform made on its own (停诊 etc.): book it.
      if (order.isPay !== 1 || req.totalFee !== order.paidFee || req.refundFee <= 0) fail("S02000402");
      if (req.refundFee > order.paidFee - refundedTotal(order)) fail("S02000403");
      addRefund(store, order, {
        refundId: req.refundId,
        hospitalRefundId: req.hospitalRefundId,
        refundFee: req.refundFee,
        refundTime: req.refundTime,
        reason: "平台退款通知",
        kind: 1,
        notified: true,
      });
    }
    saveOrder(store, order);
    return undefined;
  },

  GetStatement(req, store, now) {
    const transaction = transactions(store, now, req.startDate, req.endDate);
    if (transaction.length === 0) fail("S02000501");
    const sum = (type: 1 | 2) =>
      transaction
        .filter((t) => t.transactionType === type)
        .reduce((s, t) => s + (type === 1 ? t.transactionFee! : t.refundFee!), 0);
    return { totalCount: transaction.length, totalAmount: sum(1), refundAmount: sum(2), transaction };
  },

  // -------------------------------------------------------------------------------------------------------------
  // 2.1.3 patients

  CreatePatient(req, store, now) {
    if (req.birthday > now.date) fail("S03000101", "出生日期晚于今天");
    const existing = values<Patient>(store, "pat:").find(
      (p) =>
        p.patientType === req.patientType &&
        p.certifcateType === req.certifcateType &&
        p.certifcateNo === req.certifcateNo &&
        (req.patientType === 1 || p.name === req.name),
    );
    if (existing) {
      if (existing.name !== req.name) fail("S03000101", "该证件已建档，姓名不一致");
      return { createTime: existing.createTime, patientId: existing.patientId, medicalNo: existing.medicalNo };
    }
    const p = createPatient(store, now, {
      patientType: req.patientType,
      patientFlag: req.patientType === 0 || ageOn(req.birthday, now.date) < 14 ? 1 : 0,
      certifcateType: req.certifcateType,
      certifcateNo: req.certifcateNo,
      name: req.name,
      sex: req.sex,
      birthday: req.birthday,
      ...(req.address ? { address: req.address } : {}),
      mobile: req.mobile,
    });
    return { createTime: p.createTime, patientId: p.patientId, medicalNo: p.medicalNo };
  },

  GetPatientInfo(req, store, now) {
    const m = matchPatient(store, req.user);
    if ("mismatch" in m) fail(m.mismatch === "mobile" ? "S03000202" : "S03000201");
    if (!("patient" in m)) return fail("S03000201");
    return patientView(m.patient, now);
  },

  CheckCard(req, store) {
    const rules: UserRule[] = req.cardNo
      ? [{ id: "card", value: req.cardNo, ...(req.cardType ? { type: String(req.cardType) } : {}) }]
      : [{ id: "medicalNo", value: req.medicalNo! }];
    const m = matchPatient(store, rules);
    if (!("patient" in m)) return fail("S03000301", "卡号或门诊号不存在");
    const p = m.patient;
    if (p.certifcateNo !== req.certifcateNo || p.name !== req.name) fail("S03000301", "卡信息与证件、姓名不符");
    const card = req.cardNo ? p.cards.find((c) => c.cardNo === req.cardNo)! : p.cards[0]!;
    return {
      medicalNo: p.medicalNo,
      cardStatus: card.cardStatus,
      cardTime: card.cardTime,
      ...(card.lastTime ? { lastTime: card.lastTime } : {}),
    };
  },

  // -------------------------------------------------------------------------------------------------------------
  // 2.1.4 registration

  GetDepartmentInfo(req, store) {
    const all = values<Department>(store, "dept:").filter((d) => !req.departmentId || d.id === req.departmentId);
    const department = page(all, req.currentPage, req.pageSize).map((d) => ({
      id: d.id,
      name: d.name,
      parentId: d.parentId,
      introduction: d.introduction,
      expertise: d.expertise,
      level: d.level,
      location: d.location,
      status: 1 as const,
      telephone: d.telephone,
      rule: d.rule,
    }));
    if (department.length === 0) fail("S05010101");
    return { count: all.length, department };
  },

  GetDoctorInfo(req, store) {
    const tree = req.departmentId ? departmentTree(store, req.departmentId) : undefined;
    if (req.departmentId && !tree) fail("S05010201", "科室不存在");
    const all = values<Doctor>(store, "doc:").filter(
      (d) => (!tree || tree.has(d.departmentId)) && (!req.doctorId || d.id === req.doctorId),
    );
    const doctor = page(all, req.currentPage, req.pageSize).map((d) => ({
      departmentId: d.departmentId,
      id: d.id,
      name: d.name,
      professionTitle: d.professionTitle,
      office: d.office,
      introduction: d.introduction,
      expertise: d.expertise,
      status: 1 as const,
      sex: d.sex,
      birthday: d.birthday,
      telephone: d.telephone,
      picture: `https://demo-his.example/doctors/${d.id}.jpg`,
      sort: d.sort,
    }));
    if (doctor.length === 0) fail("S05010201");
    return { count: all.length, doctor };
  },

  GetScheduleInfo(req, store, now) {
    const tree = departmentTree(store, req.departmentId);
    if (!tree) return fail("S05010301", "科室不存在");
    const doctors = new Map(values<Doctor>(store, "doc:").map((d) => [d.id, d]));
    const byDoctor = new Map<string, Schedule[]>();
    for (const s of schedulesBetween(store, req.startDate, req.endDate)) {
      if (!tree.has(s.departmentId) || (req.doctorId && s.doctorId !== req.doctorId)) continue;
      byDoctor.set(s.doctorId, [...(byDoctor.get(s.doctorId) ?? []), s]);
    }
    const departments = new Map(values<Department>(store, "dept:").map((d) => [d.id, d]));
    const entries = [...byDoctor.entries()].sort(([a], [b]) => a.localeCompare(b));
    const schedule = page(entries, req.currentPage, req.pageSize).map(([doctorId, list]) => {
      const dates = [...new Set(list.map((s) => s.date))].sort();
      return {
        doctorId,
        doctorName: doctors.get(doctorId)?.name ?? doctorId,
        date: dates.map((registerDate) => ({
          registerDate,
          weekday: weekdayName(registerDate),
          noon: list
            .filter((s) => s.date === registerDate)
            .sort((a, b) => a.noon - b.noon)
            .map((s) => {
              const d = departments.get(s.departmentId);
              return {
                id: s.id,
                noon: s.noon,
                startTime: s.startTime,
                endTime: s.endTime,
                status: scheduleStatus(s, now),
                totalCount: s.slots.reduce((n, t) => n + t.totalCount, 0),
                remainCount: s.status === 1 ? s.slots.reduce((n, t) => n + t.remainCount, 0) : 0,
                registerFee: s.registerFee,
                treatFee: s.treatFee,
                serviceFee: s.serviceFee,
                otherFee: s.otherFee,
                level: s.level,
                sexLimit: d?.sexLimit ?? (0 as const),
                ageLimitMax: d?.ageLimitMax ?? 150,
                ageLinitMin: 0,
                visitAddress: s.visitAddress,
                takeAddress: s.takeAddress,
                takeTime: s.takeTime,
                updateTime: s.updateTime,
                isTime: 1 as const,
              };
            }),
        })),
      };
    });
    if (schedule.length === 0) fail("S05010301");
    return { count: entries.length, schedule };
  },

  GetScheduleTimeInfo(req, store, now) {
    const ids = req.scheduleId ? new Set(req.scheduleId.split(",").map((s) => s.trim())) : undefined;
    const allDay = (req.noon as number) === -1 || req.noon === 4;
    // A parent department (01 内科) lists its children's schedules, so their times are found under it too.
    const tree = departmentTree(store, req.departmentId);
    const time = values<Schedule>(store, `sched:${req.registerDate.replaceAll("-", "")}`)
      .filter(
        (s) =>
          tree?.has(s.departmentId) &&
          s.doctorId === req.doctorId &&
          (allDay || s.noon === req.noon) &&
          (!ids || ids.has(s.id)),
      )
      .flatMap((s) =>
        s.slots.map((t) => ({
          noon: s.noon,
          scheduleId: s.id,
          id: t.id,
          startTime: t.startTime,
          endTime: t.endTime,
          totalCount: t.totalCount,
          remainCount: s.status === 1 && t.status === 1 ? t.remainCount : 0,
          status: t.status === 0 ? 0 : scheduleStatus(s, now),
        })),
      );
    if (time.length === 0) fail("S05010401");
    return { time };
  },

  OrderRegister(req, store, now) {
    if (store.get(`order:${req.orderId}`) !== undefined) fail("S05010706");
    const schedule = store.get<Schedule>(scheduleKey(req.scheduleId));
    // The platform books with the department it listed the schedule under: the schedule's own or a parent of it.
    if (
      !schedule ||
      !departmentTree(store, req.departmentId)?.has(schedule.departmentId) ||
      schedule.doctorId !== req.doctorId ||
      schedule.date !== req.registerDate ||
      schedule.noon !== req.noon
    ) {
      return fail("S05010705");
    }
    const status = scheduleStatus(schedule, now);
    if (status === 0) fail("S05010705", `已停诊：${schedule.stopReason ?? ""}`);
    if (status === 2) fail("S05010701", "号源尚未开放");
    if (schedule.date < now.date || (schedule.date === now.date && now.time >= schedule.endTime))
      fail("S05010705", "该时段已结束");
    if (req.registerType === 1 && schedule.date !== now.date) fail("S05010701", "当天挂号只能挂当天的号");
    if (
      req.registerFee !== schedule.registerFee ||
      req.treatFee !== schedule.treatFee ||
      req.serviceFee !== schedule.serviceFee ||
      req.otherFee !== schedule.otherFee
    ) {
      fail("S05010701", "费用与排班不符");
    }

    // The patient: found by the rules, or registered from the order (建档).
    const rules = req.group.flatMap((g) => g.rule);
    const m = matchPatient(store, rules);
    if ("mismatch" in m) fail(m.mismatch === "card" ? "S05010709" : "S05010710");
    if ("many" in m) fail("S05010704");
    let patient: Patient;
    if ("patient" in m) patient = m.patient;
    else {
      const cert = rules.find((r) => r.id === "certifcate") ?? rules.find((r) => r.id === "parentCertifcate");
      if (!cert) return fail("S05010701", "初次就诊须提供证件信息（rule id=certifcate）");
      if (req.patientName.length < 2) fail("S05010703", "姓名不完整");
      patient = createPatient(store, now, {
        patientType: cert.id === "certifcate" ? 1 : 0,
        patientFlag: req.patientFlag,
        certifcateType: certificateType(cert.type),
        certifcateNo: cert.value,
        name: req.patientName,
        sex: req.patientSex,
        birthday: req.patientBirthday,
        mobile: req.patientMobile,
      });
    }
    const department = store.get<Department>(`dept:${schedule.departmentId}`)!;
    if (department.sexLimit && patient.sex !== department.sexLimit)
      fail("S05010702", `${department.name}仅接诊${department.sexLimit === 2 ? "女" : "男"}性患者`);
    if (department.ageLimitMax !== undefined && ageOn(patient.birthday, schedule.date) > department.ageLimitMax)
      fail("S05010702", `${department.name}仅接诊 ${department.ageLimitMax} 岁以下患者`);
    const dup = allOrders(store, now).find(
      (o) => o.patientId === patient.patientId && o.scheduleId === schedule.id && o.isCancel === 0,
    );
    if (dup) fail("S05010701", "同一就诊人同一排班只能挂一个号");

    // The number: the requested time slot, else the first one left.
    const open = schedule.slots.filter((t) => t.status === 1);
    if (open.every((t) => t.remainCount === 0)) fail("S05010707");
    const slot = req.timeId
      ? open.find((t) => t.id === req.timeId)
      : req.startTime
        ? open.find((t) => t.startTime === req.startTime)
        : open.find((t) => t.remainCount > 0);
    if (!slot) return fail(req.timeId ? "S05010705" : "S05010707", req.timeId ? "分时不存在" : undefined);
    if (slot.remainCount === 0) fail("S05010708");
    slot.remainCount--;
    const clinicNo = String(schedule.nextClinicNo++);
    store.put(scheduleKey(schedule.id), schedule);

    const doctor = store.get<Doctor>(`doc:${schedule.doctorId}`)!;
    const [takeFrom, takeTo] = schedule.takeTime.split("-").map((t) => `${t.slice(0, 2)}:${t.slice(2)}`);
    const card = cardFor(patient, rules);
    const total = schedule.registerFee + schedule.treatFee + schedule.serviceFee + schedule.otherFee;
    const order: Order = {
      orderId: req.orderId,
      hospitalOrderId: newId(store, "HO", now),
      channelId: req.channelId,
      scheduleId: schedule.id,
      timeId: slot.id,
      departmentId: schedule.departmentId,
      departmentName: department.name,
      doctorId: doctor.id,
      doctorName: doctor.name,
      registerDate: schedule.date,
      noon: schedule.noon,
      startTime: slot.startTime,
      endTime: slot.endTime,
      clinicNo,
      visitNo: newId(store, "V", now),
      visitAddress: schedule.visitAddress,
      getTime: `${takeFrom}-${takeTo}`,
      registerFee: schedule.registerFee,
      treatFee: schedule.treatFee,
      serviceFee: schedule.serviceFee,
      otherFee: schedule.otherFee,
      totalFee: total,
      realFee: total,
      orderTime: req.orderTime,
      createdMs: now.ms,
      patientId: patient.patientId,
      medicalNo: patient.medicalNo,
      ...(patient.patientType === 1
        ? { certifcateType: patient.certifcateType, certifcateNo: patient.certifcateNo }
        : {}),
      ...(card ?? {}),
      patientName: patient.name,
      patientSex: patient.sex,
      patientBirthday: patient.birthday,
      ...(patient.address ? { patientAddress: patient.address } : {}),
      patientMobile: req.patientMobile,
      isPay: 0,
      paidFee: 0,
      isTake: 0,
      isCancel: 0,
      isStop: 0,
      refunds: [],
    };
    saveOrder(store, order);
    return {
      hospitalOrderId: order.hospitalOrderId,
      clinicNo,
      takeTime: order.getTime,
      visitTime: `${slot.startTime}-${slot.endTime}`,
      visitAddress: order.visitAddress,
      patientId: patient.patientId,
      visitNo: order.visitNo,
      ...(card ?? {}),
      remark: "请在 30 分钟内完成支付，逾期订单自动取消",
      isConcessions: 0,
    };
  },

  NotifyRegister(req, store, now) {
    const order = requireOrder(store, now, req.orderId, req.hospitalOrderId, "S05010801");
    if (req.notifyType === 1) {
      if (order.isCancel === 1) return undefined; // cancelling twice is not an error (§2.1.4.1.6)
      if (order.isTake === 1) fail("S05010804");
      if (order.isPay !== 0) fail("S05010802", "已支付的订单请先退款");
      cancelOrder(store, order, req.notifyTime, req.reason ?? "用户取消");
    } else {
      if (order.isCancel === 1) fail("S05010803");
      if (order.isTake === 1) return undefined;
      // Taking the number at a kiosk also pays for it there when the platform has not: 非平台支付.
      if (order.isPay === 0)
        Object.assign(order, { isPay: 2, payTime: req.notifyTime, paidFee: order.realFee } satisfies Partial<Order>);
      order.isTake = 1;
      order.takeTime = req.notifyTime;
    }
    saveOrder(store, order);
    return undefined;
  },

  QueryRegister(req, store, now) {
    let orders: Order[];
    if (req.orderId || req.hospitalOrderId || req.hospitalTradeId || req.hospitalRefundId) {
      const found =
        (req.orderId && loadOrder(store, req.orderId, now)) ||
        findOrderBy(store, "ho", req.hospitalOrderId, now) ||
        findOrderBy(store, "trade", req.hospitalTradeId, now) ||
        findOrderBy(store, "refund", req.hospitalRefundId, now);
      orders = found ? [found] : [];
    } else {
      const m = matchPatient(store, req.user ?? []);
      if (!("patient" in m)) return fail("S05010902");
      const id = m.patient.patientId;
      orders = allOrders(store, now).filter(
        (o) =>
          o.patientId === id &&
          (inRange(o.registerDate, req.startDate, req.endDate) || inRange(o.orderTime, req.startDate, req.endDate)),
      );
    }
    const wanted = {
      0: () => true,
      1: (o: Order) => o.isCancel === 1,
      2: (o: Order) => o.isPay === 0 && o.isCancel === 0,
      3: (o: Order) => o.isPay !== 0,
      4: (o: Order) => o.isStop === 1,
      5: (o: Order) => o.isPay !== 0 && o.isTake === 0 && o.isCancel === 0,
    }[req.queryType];
    orders = orders.filter(wanted).sort((a, b) => b.orderTime.localeCompare(a.orderTime));
    const order = page(orders, req.currentPage, req.pageSize).map((o) => orderView(o, now));
    if (order.length === 0) fail("S05010901");
    return { count: orders.length, order };
  },

  QueryStopRegister(req, store) {
    const tree = departmentTree(store, req.departmentId);
    const stops = schedulesBetween(store, req.startDate, req.endDate).filter(
      (s) => tree?.has(s.departmentId) && (!req.doctorId || s.doctorId === req.doctorId) && s.status === 0,
    );
    const stop = page(stops, req.currentPage, req.pageSize).map((s) => ({
      scheduleId: s.id,
      departmentId: s.departmentId,
      doctorId: s.doctorId,
      date: scheduleDate(s.id),
      noon: s.noon,
      reason: s.stopReason ?? "停诊",
    }));
    if (stop.length === 0) fail("S05011101");
    // The hospital cancels the numbers itself; the platform refunds what was paid through it.
    return { count: stops.length, callback: 0, isRefund: 0, stop };
  },
};

export function handleHis<K extends HisService>(
  service: K,
  request: Req<K>,
  store: Store,
  now: Now,
): Res<K> | undefined {
  ensureSeeded(store, now);
  return (handlers[service] as Handler<K>)(request, store, now);
}
