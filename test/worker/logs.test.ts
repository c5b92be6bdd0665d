// The request log: one structured line per request, with its id and outcome, and never a key, a decrypted
// payload or a patient identifier.
import { afterEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_TENANT, gateway, post, success } from "../support/gateway.js";
import { refEnvelope, refPayloadXml, SEED_KEY } from "../support/reference.js";

const CERTIFICATE = "110101199001011234";
const patientQuery = () =>
  refEnvelope({
    service: "GetPatientInfo",
    format: "xml",
    payload: refPayloadXml("request", { user: [{ id: "certifcate", type: "1", value: CERTIFICATE }] }),
  }).body;
const patient = {
  createTime: "2017-01-19 16:17:28",
  patientId: "P1",
  patientType: 1,
  patientFlag: 0,
  certifcateType: 1,
  certifcateNo: CERTIFICATE,
  name: "张三",
  sex: 1,
  birthday: "1990-01-01",
  age: 30,
  mobile: "13800000000",
};

function capture() {
  const lines: string[] = [];
  for (const level of ["log", "warn", "error", "info", "debug"] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
  }
  return lines;
}

describe("request log", () => {
  afterEach(() => vi.restoreAllMocks());

  it("one JSON line per request, naming the service and outcome, without key, payload or patient data", async () => {
    const lines = capture();
    const gw = gateway(
      () => success(patient),
      [{ ...DEFAULT_TENANT, hisHeaders: { authorization: "Bearer his-secret" } }],
    );
    const res = await gw.fetch("/wd/api", post(patientQuery()));
    expect(res.status).toBe(200);
    const requests = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === "request");
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      level: "info",
      service: "GetPatientInfo",
      partner: "TEST_WX",
      hospitalCode: "0",
      resultCode: "SUCCESS",
      status: 200,
    });
    expect(requests[0]!.requestId).toEqual(expect.any(String));
    const all = lines.join("\n");
    for (const secret of [SEED_KEY, CERTIFICATE, "张三", "13800000000", "his-secret", "127.0.0.1"])
      expect(all).not.toContain(secret);
  });

  it("a refused request says why and where, still without values", async () => {
    const lines = capture();
    const gw = gateway(() => success(patient));
    const bad = refEnvelope({
      service: "GetPatientInfo",
      format: "xml",
      payload: refPayloadXml("request", { user: [{ id: "certifcate", value: `${CERTIFICATE}${CERTIFICATE}` }] }),
    }).body;
    await gw.fetch("/wd/api", post(bad));
    const line = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.event === "request")!;
    expect(line.resultCode).toBe("ILLEGAL_ARGUMENT");
    expect(line.paths).toEqual(["request.user[0].value"]);
    expect(lines.join("\n")).not.toContain(CERTIFICATE);
  });

  it("LOG_LEVEL=warn keeps only refused or failed requests", async () => {
    const lines = capture();
    const gw = gateway(() => success(patient), undefined, { LOG_LEVEL: "warn" });
    await gw.fetch("/wd/api", post(patientQuery()));
    expect(lines.filter((l) => l.includes('"event":"request"'))).toHaveLength(0);
    await gw.fetch("/wd/api", post(patientQuery().replace(/<sign><!\[CDATA\[\w+/, "<sign><![CDATA[00")));
    expect(lines.filter((l) => l.includes('"resultCode":"ILLEGAL_SIGN"'))).toHaveLength(1);
  });
});
