// Business payloads (wire text, as the platform sends them) of the notification services (Pay's is in pay-wire.ts),
// and the signed envelope that carries one: shared by the worker's once-and-notify tests and the self-hosted crash test.
import { refEnvelope, refPayloadXml, type Wire } from "./reference.js";

export { payWire } from "./pay-wire.js";

export const notifyRefundWire = (refundId: string, refundFee = "50"): Wire => ({
  businessType: "1",
  orderId: "O1",
  hospitalRefundId: `HR-${refundId}`,
  refundId,
  totalFee: "100",
  refundFee,
  refundTime: "2017-02-07 10:09:33",
});

/** A signed, encrypted platform envelope of the seed's test partner carrying `wire`. */
export const envelope = (service: string, wire: Wire, format: "xml" | "json" = "xml", hospitalCode = "0") =>
  refEnvelope({
    service,
    format,
    hospitalCode,
    payload: format === "xml" ? refPayloadXml("request", wire) : JSON.stringify(wire),
  }).body;
