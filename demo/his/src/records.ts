// Order and patient bookkeeping shared by the HIS services and the demo platform.
import type { CardTypeValue, CertificateTypeValue } from "../../../generated/enums.js";
import {
  addDays,
  nextSeq,
  RELEASE_TIME,
  SCHEDULE_DAYS,
  scheduleKey,
  values,
  type Now,
  type Order,
  type Patient,
  type Refund,
  type Schedule,
  type Store,
} from "./data.js";

/** A business answer other than SUCCESS: the service's own S-code (or A-code on the platform side). */
export class BusinessError extends Error {
  constructor(
    readonly code: string,
    readonly detail?: string,
  ) {
    super(detail ? `${code}: ${detail}` : code);
  }
}

export const fail = (code: string, detail?: string): never => {
  throw new BusinessError(code, detail);
};

/** Unpaid orders lapse after 30 minutes (支付仅限 30 分钟内提交的订单); the number goes back on sale. */
const PAY_WINDOW_MS = 30 * 60_000;

export const orderKey = (orderId: string): string => `order:${orderId}`;

/** Reads an order, applying what time has done to it since it was stored. */
export function loadOrder(store: Store, orderId: string | undefined, now: Now): Order | undefined {
  if (!orderId) return undefined;
  const order = store.get<Order>(orderKey(orderId));
  if (!order) return undefined;
  if (order.isPay === 0 && order.isCancel === 0 && now.ms - order.createdMs > PAY_WINDOW_MS) {
    cancelOrder(store, order, now.datetime, "超过 30 分钟未支付，系统自动取消");
    saveOrder(store, order);
  }
  return order;
}

export function findOrderBy(
  store: Store,
  index: "ho" | "trade" | "refund" | "pref",
  id: string | undefined,
  now: Now,
): Order | undefined {
  if (!id) return undefined;
  return loadOrder(store, store.get<string>(`idx:${index}:${id}`), now);
}

export function allOrders(store: Store, now: Now): Order[] {
  return values<Order>(store, "order:").map((o) => loadOrder(store, o.orderId, now)!);
}

/** Stores an order and keeps its look-up indexes current. */
export function saveOrder(store: Store, order: Order): void {
  store.put(orderKey(order.orderId), order);
  store.put(`idx:ho:${order.hospitalOrderId}`, order.orderId);
  if (order.hospitalTradeId) store.put(`idx:trade:${order.hospitalTradeId}`, order.orderId);
  if (order.outTradeId) store.put(`idx:out:${order.outTradeId}`, order.orderId);
  for (const r of order.refunds) {
    if (r.hospitalRefundId) store.put(`idx:refund:${r.hospitalRefundId}`, order.orderId);
    if (r.refundId) store.put(`idx:pref:${r.refundId}`, order.orderId);
  }
}

/** Cancels an order and puts its number back on sale. */
export function cancelOrder(store: Store, order: Order, when: string, reason: string): void {
  if (order.isCancel === 1) return;
  order.isCancel = 1;
  order.cancelTime = when;
  order.remark = reason;
  const schedule = store.get<Schedule>(scheduleKey(order.scheduleId));
  const slot = schedule?.slots.find((s) => s.id === order.timeId);
  if (schedule && slot && slot.remainCount < slot.totalCount) {
    slot.remainCount++;
    store.put(scheduleKey(schedule.id), schedule);
  }
}

export const refundedTotal = (order: Order): number => order.refunds.reduce((sum, r) => sum + r.refundFee, 0);
/** 平台退款金额: what went back through the platform. */
export const platformRefunded = (order: Order): number =>
  order.refunds.filter((r) => r.kind === 1).reduce((sum, r) => sum + r.refundFee, 0);

/** Records a refund; a full refund cancels the registration. */
export function addRefund(store: Store, order: Order, refund: Refund): void {
  order.refunds.push(refund);
  if (refundedTotal(order) >= order.paidFee) cancelOrder(store, order, refund.refundTime, `已退款：${refund.reason}`);
}

export function isRefundState(order: Order): 0 | 1 | 2 {
  if (order.refunds.some((r) => r.kind === 1)) return 1;
  return order.refunds.length > 0 ? 2 : 0;
}

/** A paid registration whose day has passed without the number being taken. */
export const isNoShow = (order: Order, now: Now): boolean =>
  order.isPay !== 0 && order.isTake === 0 && order.isCancel === 0 && order.registerDate < now.date;

/** Status as the platform sees it: the newest day's numbers are not on sale before RELEASE_TIME. */
export function scheduleStatus(schedule: Schedule, now: Now): 0 | 1 | 2 {
  if (schedule.status !== 1) return schedule.status;
  return schedule.date === addDays(now.date, SCHEDULE_DAYS - 1) && now.time < RELEASE_TIME ? 2 : 1;
}

export const newId = (store: Store, prefix: string, now: Now): string =>
  `${prefix}${now.date.replaceAll("-", "")}${String(nextSeq(store, prefix)).padStart(6, "0")}`;

// ---------------------------------------------------------------------------------------------------------------
// Patients by 用户规则 (chapter 3): id, medicalNo, card, certifcate, parentCertifcate identify; name, mobile, sex
// and birthday narrow down.

export interface UserRule {
  id: string;
  type?: string;
  value: string;
}

export type Match =
  { patient: Patient } | { none: true } | { mismatch: "card" | "certifcate" | "mobile" } | { many: true };

export function matchPatient(store: Store, rules: readonly UserRule[]): Match {
  const all = values<Patient>(store, "pat:");
  const identify: Record<string, (p: Patient, r: UserRule) => boolean> = {
    id: (p, r) => p.patientId === r.value,
    medicalNo: (p, r) => p.medicalNo === r.value,
    admissionNo: (p, r) => p.medicalNo === r.value,
    card: (p, r) => p.cards.some((c) => c.cardNo === r.value && (!r.type || String(c.cardType) === r.type)),
    certifcate: (p, r) =>
      p.patientType === 1 && p.certifcateNo === r.value && (!r.type || String(p.certifcateType) === r.type),
    parentCertifcate: (p, r) => p.patientType === 0 && p.certifcateNo === r.value,
  };
  const narrow: Record<string, (p: Patient, r: UserRule) => boolean> = {
    name: (p, r) => p.name === r.value,
    mobile: (p, r) => p.mobile === r.value,
    sex: (p, r) => String(p.sex) === r.value,
    birthday: (p, r) => p.birthday === r.value,
  };
  const ids = rules.filter((r) => identify[r.id]);
  if (ids.length === 0) return { none: true };
  // The first identifying rule finds the candidates; every other rule must agree with them.
  let candidates = all.filter((p) => identify[ids[0]!.id]!(p, ids[0]!));
  if (candidates.length === 0) return { none: true };
  for (const r of ids.slice(1)) {
    const kept = candidates.filter((p) => identify[r.id]!(p, r));
    if (kept.length === 0) return { mismatch: r.id === "card" ? "card" : "certifcate" };
    candidates = kept;
  }
  for (const r of rules.filter((r) => narrow[r.id])) {
    const kept = candidates.filter((p) => narrow[r.id]!(p, r));
    if (kept.length === 0) return { mismatch: r.id === "mobile" ? "mobile" : "certifcate" };
    candidates = kept;
  }
  return candidates.length === 1 ? { patient: candidates[0]! } : { many: true };
}

export function createPatient(
  store: Store,
  now: Now,
  p: Omit<Patient, "patientId" | "medicalNo" | "createTime" | "cards">,
): Patient {
  const n = String(nextSeq(store, "patient")).padStart(6, "0");
  const patient: Patient = {
    ...p,
    patientId: `P${n}`,
    medicalNo: `M${n}`,
    createTime: now.datetime,
    cards: [{ cardType: 7, cardNo: `7${n.padStart(7, "0")}`, cardStatus: 0, balance: 0, cardTime: now.datetime }],
  };
  store.put(`pat:${patient.patientId}`, patient);
  return patient;
}

/** The card a registration is made with: the one named in the rules, else the patient's newest usable card. */
export function cardFor(
  patient: Patient,
  rules: readonly UserRule[],
): { cardType: CardTypeValue; cardNo: string } | undefined {
  const named = rules.find((r) => r.id === "card");
  const card = named
    ? patient.cards.find((c) => c.cardNo === named.value)
    : patient.cards.find((c) => c.cardStatus === 0);
  return card && { cardType: card.cardType, cardNo: card.cardNo };
}

export const certificateType = (type: string | undefined): CertificateTypeValue => {
  const n = Number(type);
  return (n >= 1 && n <= 9 ? n : 1) as CertificateTypeValue;
};
