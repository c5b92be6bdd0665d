// KY-HIS's billing service (API.md §5): a SOAP 1.1 web service with one method, Call(FuncCode, inputXml). The
// business XML travels as a string both ways: <request><params>… in, <response><resultCode>… out, where 0 is success,
// 1 success without data and anything below 0 a failure.
import { Hono } from "hono";
import { ensureSeeded, shanghaiNow, type Now, type Order, type Store } from "../../his/src/data.js";
import { orderKey } from "../../his/src/records.js";
import type { LegacyEnv } from "./env.js";
import { BusinessError, query, serve } from "./records.js";
import { CARD_TYPE, ID_TYPE, ParamError, Params, yuanOf } from "./wire.js";
import { childrenOf, DECLARATION, readXml, writeXml } from "./xml.js";

export const SOAP_PATH = "/his/ws/ChargeService.asmx";
const NS = "http://tempuri.org/";
const SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/";

/** KY-HIS's billing result codes (API.md §5.1), by the demo hospital's S-code. */
const CHARGE_CODES: Readonly<Record<string, readonly [code: string, message: string]>> = {
  S02000101: ["-101", "订单不存在"],
  S02000301: ["-101", "订单不存在"],
  S02000401: ["-101", "订单不存在"],
  S02000102: ["-102", "订单已缴费"],
  S02000103: ["-103", "订单已取消"],
  S02000303: ["-103", "订单已取消"],
  S02000104: ["-104", "订单已退费"],
  S02000304: ["-104", "订单已退费"],
  S02000105: ["-105", "缴费金额不符"],
  S02000107: ["-106", "支付流水号重复"],
  S02000302: ["-201", "退费金额不正确"],
  S02000402: ["-201", "退费金额不正确"],
  S02000305: ["-202", "退费金额超出可退金额"],
  S02000403: ["-202", "退费金额超出可退金额"],
  S02000306: ["-203", "不允许退费"],
};

type Result = Record<string, unknown> | undefined;
/** A function: its result element's children, or undefined for 1 (成功，但无数据). */
type Func = (p: Params, store: Store, now: Now) => Result;

function bizType(p: Params): 0 | 1 {
  const type = p.int("bizType", 0, 4);
  if (type > 1) throw new BusinessError("-1", "本院仅开通挂号业务");
  return type as 0 | 1;
}

const optional = <K extends string>(key: K, value: string | undefined) =>
  (value ? { [key]: value } : {}) as Partial<Record<K, string>>;

const FUNCS: Record<string, Func> = {
  GH_PAY(p, store, now) {
    const paid = serve(
      "Pay",
      {
        businessType: bizType(p),
        orderId: p.text("ptOrderNo", true, 64),
        ...optional("hospitalOrderId", p.text("hisOrderNo", false, 64)),
        tradeId: p.text("tradeNo", true, 64),
        ...optional("receiptId", p.text("invoiceNo", false, 64)),
        outTradeId: p.text("outTradeNo", true, 64),
        payTime: p.datetime("payTime"),
        payMode: p.number("payMode"),
        payChannel: p.number("payChannel"),
        payType: p.number("payType"),
        isConcessions: p.fen("discountAmt") > 0 ? 1 : 0,
        totalFee: p.fen("totalAmt"),
        payableFee: p.fen("payableAmt"),
        activityFee: p.fen("discountAmt"),
        medicareFee: p.fen("insuranceAmt"),
        realFee: p.fen("selfAmt"),
        ...optional("merchantId", p.text("merchantId", false, 32)),
        ...optional("operatorId", p.text("operator", false, 64)),
      },
      store,
      now,
    );
    const business = paid.business?.[0];
    return {
      hisPayNo: paid.hospitalTradeId,
      invoiceNo: paid.receiptId ?? "",
      seqNo: business?.clinicNo ?? "",
      visitNo: business?.visitNo ?? "",
      visitAddress: business?.visitAddress ?? "",
      tips: paid.remark ?? "",
    };
  },

  GH_REFUND(p, store, now) {
    const refunded = serve(
      "Refund",
      {
        businessType: bizType(p),
        orderId: p.text("ptOrderNo", true, 64),
        ...optional("hospitalOrderId", p.text("hisOrderNo", false, 64)),
        tradeId: p.text("tradeNo", true, 64),
        hospitalTradeId: p.text("hisPayNo", true, 64),
        refundId: p.text("ptRefundNo", true, 64),
        refundChannel: p.number("refundChannel"),
        refundType: p.number("refundType"),
        totalFee: p.fen("totalAmt"),
        refundFee: p.fen("refundAmt"),
        refundTime: p.datetime("refundTime"),
        reason: p.text("reason", true, 512),
        // KY-HIS finds the patient by the order; the standard wants a user rule, so the order's own patient it is.
        user: [{ id: "id", value: store.get<Order>(orderKey(p.text("ptOrderNo", true, 64)))?.patientId ?? "-" }],
      },
      store,
      now,
    );
    return { hisRefundNo: refunded.hospitalRefundId, refundWay: refunded.refundFlag === 2 ? "HOSPITAL" : "PLATFORM" };
  },

  GH_REFUND_NOTIFY(p, store, now) {
    serve(
      "NotifyRefund",
      {
        businessType: bizType(p),
        orderId: p.text("ptOrderNo", true, 64),
        ...optional("tradeId", p.text("tradeNo", false, 64)),
        hospitalRefundId: p.text("hisRefundNo", true, 64),
        refundId: p.text("ptRefundNo", true, 64),
        totalFee: p.fen("totalAmt"),
        refundFee: p.fen("refundAmt"),
        refundTime: p.datetime("refundTime"),
      },
      store,
      now,
    );
    return {};
  },

  BILL_QUERY(p, store, now) {
    const found = query(
      "GetStatement",
      { startDate: p.date("beginDate", true), endDate: p.date("endDate", true) },
      store,
      now,
      "S02000501",
    );
    if (!found) return undefined;
    return {
      totalCount: found.totalCount,
      payAmt: yuanOf(found.totalAmount),
      refundAmt: yuanOf(found.refundAmount),
      details: {
        detail: found.transaction.map((t) => ({
          tradeTime: t.transactionTime,
          tradeType: t.transactionType === 1 ? "PAY" : "REFUND",
          ptOrderNo: t.orderId,
          hisOrderNo: t.hospitalOrderId,
          ptRefundNo: t.refundId ?? "",
          hisRefundNo: t.hospitalRefundId ?? "",
          outTradeNo: t.outTradeId ?? "",
          tradeAmt: t.transactionFee === undefined ? "" : yuanOf(t.transactionFee),
          refundAmt: t.refundFee === undefined ? "" : yuanOf(t.refundFee),
          payType: t.payType,
          payChannel: t.payChannel,
          patientId: t.patientId ?? "",
          patientName: t.patientName ?? "",
          cardType: CARD_TYPE.legacy(t.cardType),
          cardNo: t.cardNo ?? "",
          idType: ID_TYPE.legacy(t.certifcateType),
          idNo: t.certifcateNo ?? "",
        })),
      },
    };
  },
};

const resultXml = (code: string, message: string, result: Record<string, unknown> = {}): string =>
  writeXml({
    response: {
      resultCode: code,
      resultMessage: message.slice(0, 200),
      result: Object.keys(result).length ? result : "",
    },
  });

/** One Call: the CallResult string for a FuncCode and its inputXml. */
export function call(funcCode: string, inputXml: string, store: Store): string {
  const func = Object.hasOwn(FUNCS, funcCode) ? FUNCS[funcCode]! : undefined;
  if (!func) return resultXml("-1", `不支持的功能号：${funcCode.slice(0, 32)}`);
  try {
    const params = childrenOf(childrenOf(readXml(inputXml).request)?.params);
    if (!params) throw new ParamError("inputXml 应为 <request><params>…</params></request>");
    const now = shanghaiNow();
    ensureSeeded(store, now);
    const result = func(new Params(params), store, now);
    return result === undefined ? resultXml("1", "无交易数据") : resultXml("0", "成功", result);
  } catch (err) {
    if (err instanceof ParamError) return resultXml("-1", `参数错误：${err.message}`);
    if (!(err instanceof BusinessError)) throw err;
    const [code, message] = CHARGE_CODES[err.code] ?? ["-1", "处理失败"];
    return resultXml(code, err.detail ? `${message}：${err.detail}` : message);
  }
}

const envelope = (body: Record<string, unknown>): string =>
  DECLARATION + writeXml({ "soap:Envelope": { "@_xmlns:soap": SOAP_NS, "soap:Body": body } });

const fault = (code: "soap:Client" | "soap:Server", message: string): string =>
  envelope({ "soap:Fault": { faultcode: code, faultstring: message } });

const WSDL = `${DECLARATION}
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
  xmlns:s="http://www.w3.org/2001/XMLSchema" xmlns:tns="${NS}" targetNamespace="${NS}">
  <wsdl:types>
    <s:schema elementFormDefault="qualified" targetNamespace="${NS}">
      <s:element name="Call"><s:complexType><s:sequence>
        <s:element minOccurs="0" maxOccurs="1" name="FuncCode" type="s:string"/>
        <s:element minOccurs="0" maxOccurs="1" name="inputXml" type="s:string"/>
      </s:sequence></s:complexType></s:element>
      <s:element name="CallResponse"><s:complexType><s:sequence>
        <s:element minOccurs="0" maxOccurs="1" name="CallResult" type="s:string"/>
      </s:sequence></s:complexType></s:element>
    </s:schema>
  </wsdl:types>
  <wsdl:message name="CallSoapIn"><wsdl:part name="parameters" element="tns:Call"/></wsdl:message>
  <wsdl:message name="CallSoapOut"><wsdl:part name="parameters" element="tns:CallResponse"/></wsdl:message>
  <wsdl:portType name="ChargeServiceSoap">
    <wsdl:operation name="Call"><wsdl:input message="tns:CallSoapIn"/><wsdl:output message="tns:CallSoapOut"/></wsdl:operation>
  </wsdl:portType>
  <wsdl:binding name="ChargeServiceSoap" type="tns:ChargeServiceSoap">
    <soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="Call">
      <soap:operation soapAction="${NS}Call" style="document"/>
      <wsdl:input><soap:body use="literal"/></wsdl:input>
      <wsdl:output><soap:body use="literal"/></wsdl:output>
    </wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="ChargeService">
    <wsdl:port name="ChargeServiceSoap" binding="tns:ChargeServiceSoap"><soap:address location="${SOAP_PATH}"/></wsdl:port>
  </wsdl:service>
</wsdl:definitions>
`;

export const charge = new Hono<LegacyEnv>();

const XML = { "content-type": "text/xml; charset=utf-8" };

charge.get(SOAP_PATH, (c) =>
  c.req.query("wsdl") !== undefined ? c.body(WSDL, 200, XML) : c.text("ChargeService: POST a SOAP 1.1 Call", 200),
);

charge.post(SOAP_PATH, async (c) => {
  let funcCode: unknown;
  let inputXml: unknown;
  try {
    const callElement = childrenOf(childrenOf(childrenOf(readXml(await c.req.text()).Envelope)?.Body)?.Call);
    if (!callElement) throw new ParamError("SOAP Body 中没有 Call");
    ({ FuncCode: funcCode, inputXml } = callElement);
  } catch (err) {
    if (!(err instanceof ParamError)) throw err;
    return c.body(fault("soap:Client", err.message), 500, XML);
  }
  if (typeof funcCode !== "string" || typeof (inputXml ?? "") !== "string")
    return c.body(fault("soap:Client", "FuncCode 与 inputXml 应为字符串"), 500, XML);
  const result = call(funcCode.trim(), (inputXml as string | undefined) ?? "", c.env.store);
  return c.body(envelope({ CallResponse: { "@_xmlns": NS, CallResult: result } }), 200, XML);
});

charge.onError((err, c) => {
  console.error(JSON.stringify({ level: "error", event: "legacy_his.error", surface: "soap", message: err.message }));
  return c.body(fault("soap:Server", "系统异常"), 500, XML);
});
