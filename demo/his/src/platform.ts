// The demo PLATFORM for the hospital -> platform direction (§2.2): POST /platform-api receives the envelope the
// gateway seals for the HIS. Deliberately written apart from worker/src (node:crypto and fast-xml-parser only), so
// that the gateway's signing and encryption are checked against an independent reading of §4.
import { createCipheriv, createDecipheriv, createHash, timingSafeEqual } from "node:crypto";
import { XMLParser } from "fast-xml-parser";
import { findService, type ServiceDefinition } from "../../../generated/registry.js";
import type { ServicePayloads } from "../../../generated/types.js";
import { ensureSeeded, scheduleKey, values, type Now, type Order, type Schedule, type Store } from "./data.js";
import { transactions } from "./his.js";
import {
  addRefund,
  BusinessError,
  cancelOrder,
  fail,
  findOrderBy,
  loadOrder,
  newId,
  refundedTotal,
  saveOrder,
} from "./records.js";

export const DEV_KEY = "2098D32C4D1399EC";

// ---------------------------------------------------------------------------------------------------------------
// §4: MD5 signature over the sorted k=v pairs + &key=, AES-128-ECB/PKCS5 with base64.

export function md5Sign(params: Record<string, string>, key: string): string {
  const text = `${Object.keys(params)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join("&")}&key=${key}`;
  return createHash("md5").update(text, "utf8").digest("hex").toUpperCase();
}

export const aesEncrypt = (text: string, key: string): string => {
  const c = createCipheriv("aes-128-ecb", Buffer.from(key, "utf8"), null);
  return Buffer.concat([c.update(text, "utf8"), c.final()]).toString("base64");
};

export const aesDecrypt = (base64: string, key: string): string => {
  const d = createDecipheriv("aes-128-ecb", Buffer.from(key, "utf8"), null);
  return Buffer.concat([d.update(Buffer.from(base64, "base64")), d.final()]).toString("utf8");
};

const SIGNED_REQUEST = ["service", "partner", "hospitalCode", "dataFormat", "inputCharset", "requestEncrypted"];

const xml = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: false,
});

/** The envelope's base params, from JSON or XML <root>. */
function readEnvelope(text: string): Record<string, string> | undefined {
  try {
    const raw = text.trimStart().startsWith("<") ? (xml.parse(text) as { root?: unknown }).root : JSON.parse(text);
    if (typeof raw !== "object" || raw === null) return undefined;
    return Object.fromEntries(
      Object.entries(raw).map(([k, v]) => [k, typeof v === "string" || typeof v === "number" ? String(v) : ""]),
    );
  } catch {
    return undefined;
  }
}

/** The decrypted business payload: a JSON object (bare or {"request": ...}) or XML <request>. */
function readPayload(text: string): unknown {
  if (text.trimStart().startsWith("<")) return (xml.parse(text) as { request?: unknown }).request ?? "";
  const value = JSON.parse(text) as Record<string, unknown>;
  return value && typeof value === "object" && "request" in value && Object.keys(value).length === 1
    ? value.request
    : value;
}

const cdata = (v: string): string => `<![CDATA[${v}]]>`;

function writePayload(data: Record<string, unknown>, format: "json" | "xml"): string {
  // The platform's JSON carries every value as text (§4.2.3); XML has one element per field.
  const wire = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, String(v)]));
  if (format === "json") return JSON.stringify(wire);
  return `<response>${Object.entries(wire)
    .map(([k, v]) => `<${k}>${cdata(v)}</${k}>`)
    .join("")}</response>`;
}

/** The signed reply envelope of §1.4: resultCode, resultMessage, sign, signType, responseEncrypted. */
function writeReply(
  resultCode: string,
  resultMessage: string,
  responseEncrypted: string | undefined,
  format: "json" | "xml",
  key: string,
): string {
  const signed: Record<string, string> = {
    resultCode,
    resultMessage,
    ...(responseEncrypted ? { responseEncrypted } : {}),
  };
  const fields = { ...signed, sign: md5Sign(signed, key), signType: "md5" };
  if (format === "json") return JSON.stringify(fields);
  return `<?xml version="1.0" encoding="utf-8"?><root>${Object.entries(fields)
    .map(([k, v]) => `<${k}>${cdata(v)}</${k}>`)
    .join("")}</root>`;
}

const UNIFIED: Record<string, string> = {
  ILLEGAL_REQUEST: "请求数据无效",
  ILLEGAL_SIGN: "签名不正确",
  ILLEGAL_SIGN_TYPE: "签名类型不正确",
  ILLEGAL_ENCRYPT: "加密不正确",
  ILLEGAL_SERVICE: "传入非法接口名",
  ILLEGAL_ARGUMENT: "参数不正确",
  NULL_REQUEST: "请求数据为空",
};

// ---------------------------------------------------------------------------------------------------------------
// The five services, against the same records the HIS keeps (the demo platform and hospital agree by construction).

type H2P = "RefundByHis" | "QueryRefund" | "DownloadStatement" | "StopRegister" | "NotifyRegisterByHis";
type Req<K extends H2P> = ServicePayloads[K]["request"];
type Res<K extends H2P> = ServicePayloads[K]["response"];

/** Cancels an order for the hospital; when the platform is to refund (isRefund 0), it refunds what was paid through it. */
function cancelForHospital(store: Store, order: Order, now: Now, reason: string, platformRefunds: boolean): void {
  const left = order.paidFee - refundedTotal(order);
  if (platformRefunds && order.isPay === 1 && left > 0) {
    addRefund(store, order, {
      refundId: newId(store, "PR", now),
      refundFee: left,
      refundTime: now.datetime,
      reason,
      kind: 1,
      outRefundId: newId(store, "WXR", now),
    });
  }
  cancelOrder(store, order, now.datetime, reason);
}

const platform: { [K in H2P]: (req: Req<K>, store: Store, now: Now) => Res<K> | undefined } = {
  RefundByHis(req, store, now) {
    const order = loadOrder(store, req.orderId, now);
    if (!order || order.hospitalOrderId !== req.hospitalOrderId || req.businessType > 1) return fail("A02000101");
    const again = order.refunds.find((r) => r.hospitalRefundId === req.hospitalRefundId);
    if (again?.refundId) return { refundId: again.refundId };
    if (order.isPay !== 1) fail("A02000102", "订单未通过平台支付");
    if (req.totalFee !== order.paidFee || req.refundFee <= 0 || req.refundFee > order.paidFee - refundedTotal(order))
      fail("A02000102");
    const refundId = newId(store, "PR", now);
    // refundFlag 1: the platform pays the money back; 0: the hospital already did (at its window).
    addRefund(store, order, {
      refundId,
      hospitalRefundId: req.hospitalRefundId,
      refundFee: req.refundFee,
      refundTime: req.refundTime,
      reason: req.reason,
      kind: req.refundFlag === 1 ? 1 : 2,
      ...(req.refundFlag === 1 ? { outRefundId: newId(store, "WXR", now) } : {}),
    });
    saveOrder(store, order);
    return { refundId };
  },

  QueryRefund(req, store, now) {
    const order = findOrderBy(store, "refund", req.hospitalRefundId, now);
    const refund = order?.refunds.find((r) => r.hospitalRefundId === req.hospitalRefundId);
    if (!order || !refund) return fail("A02000201");
    if (
      (req.orderId && req.orderId !== order.orderId) ||
      (req.hospitalOrderId && req.hospitalOrderId !== order.hospitalOrderId) ||
      (req.refundId && req.refundId !== refund.refundId)
    ) {
      fail("A02000201");
    }
    if (!refund.outRefundId) {
      // The platform settles with the payment channel when it pays the refund; the window's refunds are cash.
      refund.outRefundId = refund.kind === 1 ? newId(store, "WXR", now) : `CASH${refund.hospitalRefundId}`.slice(0, 64);
      saveOrder(store, order);
    }
    return {
      orderId: order.orderId,
      refundId: refund.refundId ?? req.hospitalRefundId,
      outRefundId: refund.outRefundId,
      totalFee: order.paidFee,
      refundFee: refund.refundFee,
      refundCount: order.refunds.indexOf(refund) + 1,
      refundStatus: 1,
      remark: refund.kind === 1 ? "退款成功，原路退回" : "医院窗口已退款",
    };
  },

  DownloadStatement(req, store, now) {
    const rows = transactions(store, now, req.statementDate, req.statementDate);
    if (rows.length === 0) fail("A02000301");
    const q = (v: unknown): string => `'${v === undefined ? "" : String(v).replaceAll("'", "''")}'`;
    const header = [
      "交易时间",
      "平台订单号",
      "医院订单号",
      "平台退款单号",
      "医院退款单号",
      "第三方支付流水号",
      "交易类型",
      "交易金额",
      "退款金额",
      "支付类型",
      "支付渠道",
      "就诊人",
    ];
    const lines = rows.map((t) =>
      [
        t.transactionTime,
        t.orderId,
        t.hospitalOrderId,
        t.refundId,
        t.hospitalRefundId,
        t.outTradeId,
        t.transactionType === 1 ? "支付" : "退款",
        t.transactionFee,
        t.refundFee,
        t.payType,
        t.payChannel,
        t.patientName,
      ]
        .map(q)
        .join(","),
    );
    return { statement: [header.map(q).join(","), ...lines].join("\r\n") };
  },

  StopRegister(req, store, now) {
    const schedules = values<Schedule>(store, `sched:${req.date.replaceAll("-", "")}`).filter(
      (s) =>
        s.departmentId === req.departmentId && s.doctorId === req.doctorId && (req.noon === 4 || s.noon === req.noon),
    );
    if (schedules.length === 0) fail("A05010102");
    const inWindow = (start?: string) =>
      !req.startTime || !req.endTime || (!!start && start >= req.startTime && start < req.endTime);
    for (const s of schedules) {
      if (req.startTime && req.endTime) for (const t of s.slots) if (inWindow(t.startTime)) t.status = 0;
      if (!req.startTime || s.slots.every((t) => t.status === 0))
        Object.assign(s, { status: 0, stopReason: req.reason });
      s.updateTime = now.datetime;
      store.put(scheduleKey(s.id), s);
    }
    const ids = new Set(schedules.map((s) => s.id));
    const affected = values<Order>(store, "order:")
      .map((o) => loadOrder(store, o.orderId, now)!)
      .filter((o) => ids.has(o.scheduleId) && o.isCancel === 0 && inWindow(o.startTime));
    if (affected.length === 0) fail("A05010101");
    for (const order of affected) {
      order.isStop = 1;
      cancelForHospital(store, order, now, `停诊：${req.reason}`, req.isRefund === 0);
      saveOrder(store, order);
    }
    return undefined;
  },

  NotifyRegisterByHis(req, store, now) {
    const order = loadOrder(store, req.orderId, now);
    if (!order || order.hospitalOrderId !== req.hospitalOrderId) return fail("A05010201");
    if (req.notifyType === 1 || req.notifyType === 2) {
      if (req.notifyType === 2) order.isStop = 1;
      cancelForHospital(
        store,
        order,
        now,
        req.reason ?? (req.notifyType === 1 ? "医院取消" : "停诊"),
        req.isRefund === 0,
      );
    } else if (req.notifyType === 3) {
      Object.assign(order, { isTake: 1, takeTime: req.notifyTime } satisfies Partial<Order>);
    } else if (order.isPay === 0) {
      Object.assign(order, {
        isPay: 2,
        payTime: req.notifyTime,
        paidFee: req.payFee ?? order.realFee,
      } satisfies Partial<Order>);
    }
    if (req.clinicNo) order.clinicNo = req.clinicNo;
    saveOrder(store, order);
    return undefined;
  },
};

/** Handles one envelope posted to /platform-api and returns the signed reply's text and content type. */
export function handlePlatform(
  text: string,
  store: Store,
  now: Now,
  key: string,
): { body: string; contentType: string } {
  const params = readEnvelope(text);
  const format =
    params?.dataFormat?.toLowerCase() === "xml" || (!params?.dataFormat && text.trimStart().startsWith("<"))
      ? "xml"
      : "json";
  const reply = (code: string, message: string, encrypted?: string) => ({
    body: writeReply(code, message, encrypted, format, key),
    contentType: format === "xml" ? "application/xml; charset=utf-8" : "application/json; charset=utf-8",
  });
  if (!params) return reply("ILLEGAL_REQUEST", UNIFIED.ILLEGAL_REQUEST!);
  if ((params.signType ?? "").toLowerCase() !== "md5") return reply("ILLEGAL_SIGN_TYPE", UNIFIED.ILLEGAL_SIGN_TYPE!);
  const signed = Object.fromEntries(
    SIGNED_REQUEST.filter((k) => params[k] !== undefined && params[k] !== "").map((k) => [k, params[k]!]),
  );
  const expected = Buffer.from(md5Sign(signed, key));
  const received = Buffer.from((params.sign ?? "").toUpperCase());
  if (expected.length !== received.length || !timingSafeEqual(expected, received))
    return reply("ILLEGAL_SIGN", UNIFIED.ILLEGAL_SIGN!);
  const def: ServiceDefinition | undefined = findService("hospitalToPlatform", params.service ?? "");
  if (!def) return reply("ILLEGAL_SERVICE", UNIFIED.ILLEGAL_SERVICE!);
  if (!params.requestEncrypted) return reply("NULL_REQUEST", UNIFIED.NULL_REQUEST!);
  let payload: unknown;
  try {
    payload = readPayload(aesDecrypt(params.requestEncrypted, key));
  } catch {
    return reply("ILLEGAL_ENCRYPT", UNIFIED.ILLEGAL_ENCRYPT!);
  }
  const checked = def.validateRequest(payload);
  if (!checked.ok)
    return reply(
      "ILLEGAL_ARGUMENT",
      `${UNIFIED.ILLEGAL_ARGUMENT}：${checked.errors.map((e) => e.message).join("；")}`.slice(0, 128),
    );
  ensureSeeded(store, now);
  try {
    const handler = platform[def.name as H2P] as (
      req: unknown,
      store: Store,
      now: Now,
    ) => Record<string, unknown> | undefined;
    const data = handler(checked.value, store, now);
    return reply("SUCCESS", "成功", data && def.hasResponse ? aesEncrypt(writePayload(data, format), key) : undefined);
  } catch (err) {
    if (!(err instanceof BusinessError)) throw err;
    const message = def.resultCodes[err.code] ?? UNIFIED[err.code] ?? err.code;
    return reply(err.code, err.detail ? `${message}：${err.detail}` : message);
  }
}
