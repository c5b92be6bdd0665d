// Sealing and opening requests and replies, checked against the independent reference (node:crypto only).
import { describe, expect, it } from "vitest";
import { getService } from "../../../generated/registry.js";
import {
  refDecrypt,
  refEncrypt,
  refEnvelope,
  refReadReply,
  refReplySignatureOk,
  refSign,
  SEED_KEY,
} from "../../../test/support/reference.js";
import { GatewayError } from "../errors.js";
import { readEnvelopeBody, readReplyParams } from "./envelope.js";
import { openReply, successReply, writeReply } from "./reply.js";
import { openRequest, sealRequest } from "./request.js";

const testNet = getService("TestNet")!;
const signer = { partner: "TEST_WX", hospitalCode: "0", key: SEED_KEY };

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (err) {
    if (err instanceof GatewayError) return err.resultCode;
    throw err;
  }
  return undefined;
};

describe("sealRequest / openRequest", () => {
  it.each(["json", "xml"] as const)(
    "a %s request: the reference verifies its sign and decrypts its payload",
    (format) => {
      const params = readEnvelopeBody(sealRequest(testNet, signer, { ip: "10.0.0.1" }, format)).params;
      const { sign, signType, ...signed } = params;
      expect(signType).toBe("md5");
      expect(sign).toBe(refSign(signed, SEED_KEY));
      expect(refDecrypt(params.requestEncrypted!, SEED_KEY)).toBe(
        format === "json" ? '{"ip":"10.0.0.1"}' : "<request><ip><![CDATA[10.0.0.1]]></ip></request>",
      );
      expect(openRequest(params, testNet, SEED_KEY)).toEqual({ ip: "10.0.0.1" });
    },
  );

  it.each([
    { given: "no requestEncrypted", payload: undefined, want: "NULL_REQUEST" },
    { given: "not base64", ciphertext: "***", want: "ILLEGAL_ENCRYPT" },
    { given: "a payload failing validation", payload: '{"ip":"' + "1".repeat(40) + '"}', want: "ILLEGAL_ARGUMENT" },
    { given: "a payload that is not JSON or XML", payload: "ip=1", want: "ILLEGAL_REQUEST" },
    { given: "a valid payload", payload: '{"ip":"1.2.3.4"}', want: undefined },
  ])("$given: $want", ({ payload, ciphertext, want }) => {
    const params: Record<string, string> = {};
    if (ciphertext !== undefined) params.requestEncrypted = ciphertext;
    else if (payload !== undefined) params.requestEncrypted = refEncrypt(payload, SEED_KEY);
    expect(codeOf(() => openRequest(params, testNet, SEED_KEY))).toBe(want);
  });

  it("opens a reference envelope", () => {
    const { body } = refEnvelope({
      service: "TestNet",
      format: "xml",
      payload: "<request><ip>127.0.0.1</ip></request>",
    });
    expect(openRequest(readEnvelopeBody(body).params, testNet, SEED_KEY)).toEqual({ ip: "127.0.0.1" });
  });
});

describe("writeReply / successReply / openReply", () => {
  it.each(["json", "xml"] as const)("a %s SUCCESS reply: signed and encrypted as the reference reads it", (format) => {
    const reply = successReply(testNet, "成功", { systemTime: "2026-01-02 03:04:05" }, format, SEED_KEY);
    const text = writeReply(reply, format, SEED_KEY);
    const read = refReadReply(text);
    expect(refReplySignatureOk(read)).toBe(true);
    expect(refDecrypt(read.responseEncrypted!, SEED_KEY)).toContain("2026-01-02 03:04:05");
    expect(openReply(text, testNet, SEED_KEY)).toEqual({
      resultCode: "SUCCESS",
      resultMessage: "成功",
      data: { systemTime: "2026-01-02 03:04:05" },
    });
  });

  it("an unsigned reply (no key) carries no sign and does not open", () => {
    const text = writeReply({ resultCode: "ILLEGAL_PARTNER", resultMessage: "x" }, "json", undefined);
    expect(JSON.parse(text)).toEqual({ resultCode: "ILLEGAL_PARTNER", resultMessage: "x" });
    expect(codeOf(() => openReply(text, testNet, SEED_KEY))).toBe("ILLEGAL_SIGN");
  });

  const signedJson = (params: Record<string, string>, key = SEED_KEY) =>
    JSON.stringify({ ...params, signType: "md5", sign: refSign(params, key) });
  it.each([
    { given: "not an envelope", text: "hello", want: "ILLEGAL_RESPONSE" },
    {
      given: "signed under another key",
      text: signedJson({ resultCode: "SUCCESS", resultMessage: "" }, "0000000000000000"),
      want: "ILLEGAL_SIGN",
    },
    { given: "no resultCode", text: signedJson({ resultMessage: "x" }), want: "ILLEGAL_RESPONSE" },
    {
      given: "SUCCESS without responseEncrypted",
      text: signedJson({ resultCode: "SUCCESS", resultMessage: "成功" }),
      want: "NULL_RESPONSE",
    },
    {
      given: "a response failing validation",
      text: signedJson({
        resultCode: "SUCCESS",
        resultMessage: "",
        responseEncrypted: refEncrypt('{"systemTime":""}', SEED_KEY),
      }),
      want: "ILLEGAL_RESPONSE",
    },
    { given: "a business code", text: signedJson({ resultCode: "S01", resultMessage: "no" }), want: undefined },
  ])("$given: $want", ({ text, want }) => {
    expect(codeOf(() => openReply(text, testNet, SEED_KEY, "the platform's reply"))).toBe(want);
  });

  it("readReplyParams keeps only the reply's base params, as text", () => {
    expect(readReplyParams('{"resultCode":"SUCCESS","resultMessage":"成功","extra":"x","sign":"AB"}')).toEqual({
      resultCode: "SUCCESS",
      resultMessage: "成功",
      sign: "AB",
    });
  });
});
