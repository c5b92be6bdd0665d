// A valid Pay request as the platform sends it (every value as text), for the tests that need one.
import type { Wire } from "./reference.js";

export const payWire = (outTradeId: string, realFee = "100"): Wire => ({
  businessType: "1",
  orderId: `O-${outTradeId}`,
  tradeId: `T-${outTradeId}`,
  outTradeId,
  payTime: "2017-02-07 10:09:57",
  payMode: "1",
  payChannel: "1",
  payType: "101",
  isConcessions: "0",
  totalFee: "100",
  payableFee: "100",
  activityFee: "0",
  medicareFee: "0",
  realFee,
});
