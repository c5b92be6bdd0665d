// The seed's own vectors, byte for byte: signatures, ciphertexts, and the three example requests replayed
// against the real worker.
import { describe, expect, it } from "vitest";
import { gateway, hisJson, post, success } from "../support/gateway.js";
import {
  md5Upper,
  refDecrypt,
  refEncrypt,
  refReadReply,
  refReplySignatureOk,
  refSign,
  SEED_KEY,
  refEnvelope,
} from "../support/reference.js";
import {
  JSON_CIPHERTEXT,
  SEED_GET,
  SEED_JSON_REQUEST,
  SEED_XML_REQUEST,
  XML_CIPHERTEXT,
  XML_REPLY_CIPHERTEXT,
} from "../support/seed-vectors.js";

describe("known answers of the reference itself (so the reference is right)", () => {
  it("signs the seed's XML request (TestNet, dataFormat=xml)", () => {
    const params = {
      service: "TestNet",
      partner: "TEST_WX",
      hospitalCode: "0",
      dataFormat: "xml",
      inputCharset: "utf-8",
      requestEncrypted: XML_CIPHERTEXT,
    };
    expect(refSign(params, SEED_KEY)).toBe("389F6997DA8530F147D4AD7AF41C5C30");
  });
  it("signs the seed's JSON request (TestNet, dataFormat=json)", () => {
    const params = {
      service: "TestNet",
      partner: "TEST_WX",
      hospitalCode: "0",
      dataFormat: "json",
      inputCharset: "utf-8",
      requestEncrypted: JSON_CIPHERTEXT,
    };
    expect(refSign(params, SEED_KEY)).toBe("722289C58286EC2B41EF764CD5B0259D");
  });
  it("signs the seed's GET (NetTest, no logNo/version/dataFormat)", () => {
    const params = {
      service: "NetTest",
      partner: "TEST_WX",
      hospitalCode: "43010001",
      inputCharset: "utf-8",
      requestEncrypted: "WXzV3/6APXYdqsoZlVuANTSxfNRbE6H1PB17Bw4MTA4=",
    };
    expect(refSign(params, SEED_KEY)).toBe("2A3D153984E85ABBA3B3E0E3E1622AAB");
  });
  it("signs the three reply examples", () => {
    expect(
      refSign({ resultCode: "SUCCESS", resultMessage: "成功", responseEncrypted: XML_REPLY_CIPHERTEXT }, SEED_KEY),
    ).toBe("5A79CE775EC879E11B88EF71D69F131E");
    expect(
      refSign(
        {
          resultCode: "SUCCESS",
          resultMessage: "成功",
          responseEncrypted: "vTmXQJ1INyhGdVsRQWHn0+INhPQt1/4YXp72AfY0mtR6O+GUTd5hTDtp0RNYAw+K",
        },
        SEED_KEY,
      ),
    ).toBe("4376E2DF2191EFDCA849153DFF4A11DC");
    expect(md5Upper(`resultCode=SYSTEM_ERROR&resultMessage=系统错误&key=${SEED_KEY}`)).toBe(
      "0335185EA82D8257F7645307B7CF008E",
    );
  });
  it("encrypts the seed's payloads to its ciphertexts", () => {
    expect(refEncrypt("<request><ip><![CDATA[127.0.0.1]]></ip></request>", SEED_KEY)).toBe(XML_CIPHERTEXT);
    expect(refEncrypt('{"ip":"127.0.0.1",}', SEED_KEY)).toBe(JSON_CIPHERTEXT);
    expect(refEncrypt("<response><systemTime><![CDATA[2017-01-19 15:54:42]]></systemTime></response>", SEED_KEY)).toBe(
      XML_REPLY_CIPHERTEXT,
    );
  });
});

describe("the seed's requests against the worker", () => {
  const his = () =>
    gateway(
      () => success({ systemTime: "2017-01-19 15:54:42" }),
      [
        { partner: "TEST_WX", hospitalCode: "0", key: SEED_KEY, hisService: "HIS" },
        { partner: "TEST_WX", hospitalCode: "43010001", key: SEED_KEY, hisService: "HIS" },
      ],
    );

  it("XML example: SUCCESS, and the reply is the seed's reply byte for byte", async () => {
    const gw = his();
    const res = await gw.fetch("/wd/api", post(SEED_XML_REQUEST));
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    const reply = refReadReply(text);
    expect(reply).toEqual({
      resultCode: "SUCCESS",
      resultMessage: "成功",
      sign: "5A79CE775EC879E11B88EF71D69F131E",
      signType: "md5",
      responseEncrypted: XML_REPLY_CIPHERTEXT,
    });
    expect(gw.calls).toHaveLength(1);
    expect(gw.calls[0]!.service).toBe("TestNet");
    expect(gw.calls[0]!.body).toEqual({ ip: "127.0.0.1" });
  });

  it("JSON example (payload with a trailing comma): SUCCESS in JSON, signed", async () => {
    const gw = his();
    const res = await gw.fetch("/wd/api", post(SEED_JSON_REQUEST));
    const reply = refReadReply(await res.text());
    expect(reply.resultCode).toBe("SUCCESS");
    expect(refReplySignatureOk(reply)).toBe(true);
    expect(JSON.parse(refDecrypt(reply.responseEncrypted!, SEED_KEY))).toEqual({ systemTime: "2017-01-19 15:54:42" });
    expect(gw.calls[0]!.body).toEqual({ ip: "127.0.0.1" });
  });

  it("GET example (path testnet, signed as NetTest, logNo/version unsigned): SUCCESS in JSON", async () => {
    const gw = his();
    const res = await gw.fetch(SEED_GET);
    const reply = refReadReply(await res.text());
    expect(reply.resultCode).toBe("SUCCESS");
    expect(refReplySignatureOk(reply)).toBe(true);
    expect(gw.calls[0]!.body).toEqual({ ip: "127.0.0.1" });
    expect(gw.calls[0]!.headers["x-hospital-code"]).toBe("43010001");
  });

  it("a GET that states dataFormat=xml (URL-encoded, XML payload) is answered in XML", async () => {
    const gw = his();
    const env = refEnvelope({
      service: "TestNet",
      format: "xml",
      hospitalCode: "43010001",
      payload: "<request><ip><![CDATA[10.2.3.4]]></ip></request>",
    });
    const { sign, signType, ...rest } = env.params;
    const query = new URLSearchParams({ ...rest, signType: signType!, sign: sign! });
    const res = await gw.fetch(`/wd/api/TestNet?${query}`);
    const text = await res.text();
    expect(text.startsWith("<?xml")).toBe(true);
    const reply = refReadReply(text);
    expect(reply.resultCode).toBe("SUCCESS");
    expect(refReplySignatureOk(reply)).toBe(true);
    expect(gw.calls[0]!.body).toEqual({ ip: "10.2.3.4" });
  });

  it("the GET path matches the service case-insensitively, on /wd/api too", async () => {
    const gw = his();
    const res = await gw.fetch(SEED_GET.replace("/wd/spi/testnet", "/wd/api/TESTNET"));
    expect(refReadReply(await res.text()).resultCode).toBe("SUCCESS");
  });

  it("error example: a SYSTEM_ERROR answer signs to the seed's 0335…", async () => {
    const gw = gateway(() => hisJson({ resultCode: "SYSTEM_ERROR", resultMessage: "系统错误" }));
    const reply = refReadReply(await (await gw.fetch("/wd/api", post(SEED_JSON_REQUEST))).text());
    expect(reply).toEqual({
      resultCode: "SYSTEM_ERROR",
      resultMessage: "系统错误",
      signType: "md5",
      sign: "0335185EA82D8257F7645307B7CF008E",
    });
  });
});
