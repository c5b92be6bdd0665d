// Unit tests of the protocol's signature step, against the independent reference (test/support/reference.ts).
import { describe, expect, it } from "vitest";
import { refSign, SEED_KEY } from "../../../test/support/reference.js";
import { readEnvelopeBody } from "./envelope.js";
import {
  replySignatureCandidates,
  signatureCandidates,
  signedParams,
  verifyReplySignature,
  verifySignature,
} from "./signature.js";
import { SEED_JSON_REQUEST, SEED_XML_REQUEST } from "../../../test/support/seed-vectors.js";

const base = { service: "TestNet", partner: "TEST_WX", hospitalCode: "0", dataFormat: "json", inputCharset: "utf-8" };

describe("request signature", () => {
  it.each([
    { given: "the seed's XML request (sends NetTest, signs TestNet)", text: SEED_XML_REQUEST, want: true },
    { given: "the seed's JSON request", text: SEED_JSON_REQUEST, want: true },
    { given: "the seed's XML request under another key", text: SEED_XML_REQUEST, key: "0000000000000000", want: false },
  ])("$given: $want", ({ text, key, want }) => {
    const { params } = readEnvelopeBody(text);
    expect(verifySignature(params, key ?? SEED_KEY, [params.service!, "TestNet"])).toBe(want);
  });

  it("signedParams leaves out sign and signType and anything unsigned", () => {
    expect(signedParams({ ...base, sign: "X", signType: "md5" })).toEqual(base);
  });

  it("an empty value: both the form with name= and the one without it verify; the candidates say which", () => {
    const params = { ...base, requestEncrypted: "" };
    const withEmpty = refSign(params, SEED_KEY);
    const { requestEncrypted: _, ...rest } = params;
    const withoutEmpty = refSign(rest, SEED_KEY);
    const candidates = signatureCandidates(params, SEED_KEY, ["TestNet"]);
    expect(candidates.map((c) => [c.emptyOmitted, c.sign])).toEqual([
      [false, withEmpty],
      [true, withoutEmpty],
    ]);
    expect(verifySignature({ ...params, sign: withEmpty }, SEED_KEY, ["TestNet"])).toBe(true);
    expect(verifySignature({ ...params, sign: withoutEmpty.toLowerCase() }, SEED_KEY, ["TestNet"])).toBe(true);
    expect(verifySignature({ ...params, sign: refSign(base, "0000000000000000") }, SEED_KEY, ["TestNet"])).toBe(false);
  });

  it("only the given spellings count: a sign over another service does not verify", () => {
    const sign = refSign({ ...base, service: "Pay" }, SEED_KEY);
    expect(verifySignature({ ...base, sign }, SEED_KEY, ["TestNet", "NetTest"])).toBe(false);
    expect(verifySignature({ ...base, sign }, SEED_KEY, ["TestNet", "Pay"])).toBe(true);
  });
});

describe("reply signature", () => {
  const reply = { resultCode: "SUCCESS", resultMessage: "成功", responseEncrypted: "abc=" };
  it.each([
    { given: "all signed params", sign: refSign(reply, SEED_KEY), want: true },
    { given: "lowercase hex", sign: refSign(reply, SEED_KEY).toLowerCase(), want: true },
    { given: "another key", sign: refSign(reply, "0000000000000000"), want: false },
    { given: "no sign", sign: "", want: false },
  ])("$given: $want", ({ sign, want }) => {
    expect(verifyReplySignature({ ...reply, signType: "md5", sign }, SEED_KEY)).toBe(want);
  });

  it("an empty resultMessage: signed with or without it, both verify", () => {
    const params = { resultCode: "SYSTEM_ERROR", resultMessage: "" };
    const forms = replySignatureCandidates(params, SEED_KEY);
    expect(forms.map((f) => f.params)).toEqual([params, { resultCode: "SYSTEM_ERROR" }]);
    expect(verifyReplySignature({ ...params, sign: refSign({ resultCode: "SYSTEM_ERROR" }, SEED_KEY) }, SEED_KEY)).toBe(
      true,
    );
  });
});
