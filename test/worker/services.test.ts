// Each of the 16 platform -> hospital services round-trips over XML and over JSON: the typed JSON the HIS
// receives is checked field by field, and the reply decrypts to the HIS's data as wire text.
import { XMLParser } from "fast-xml-parser";
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { getService } from "../../generated/registry.js";
import { gateway, post, success } from "../support/gateway.js";
import {
  refDecrypt,
  refEnvelope,
  refPayloadXml,
  refReadReply,
  refReplySignatureOk,
  SEED_KEY,
} from "../support/reference.js";
import { specServices, toWireText, typedSample } from "../support/samples.js";

const spi = specServices
  .filter((s) => s.direction === "platformToHospital")
  .sort((a, b) => a.name.localeCompare(b.name));

function listPaths(root: string, fields: { name: string; type: string; fields?: unknown[] }[]): string[] {
  return fields.flatMap((f) =>
    f.type === "list" ? [`${root}.${f.name}`, ...listPaths(`${root}.${f.name}`, f.fields as never)] : [],
  );
}

describe("platform -> hospital services", () => {
  it("covers all 16", () => expect(spi).toHaveLength(16));

  describe.each(
    spi.flatMap((s) =>
      (["xml", "json"] as const).map((format) => ({ service: s, format, name: `${s.name} ${format}` })),
    ),
  )("$name", ({ service, format }) => {
    it("forwards the typed request and seals the typed answer", async () => {
      // Distinct values per format, so the once-only services do not replay the other format's answer.
      const index = format === "xml" ? 0 : 3;
      const request = typedSample(service.request.fields as never, index);
      const response = service.response ? typedSample(service.response.fields as never, index) : undefined;
      const gw = gateway(() => success(response));
      const wire = toWireText(request);
      const payload = format === "xml" ? refPayloadXml("request", wire) : JSON.stringify(wire);
      const { body } = refEnvelope({ service: service.wireName, format, payload });
      const res = await gw.fetch("/wd/api", post(body));
      expect(res.status).toBe(200);
      const reply = refReadReply(await res.text());
      expect(reply.resultCode, reply.resultMessage).toBe("SUCCESS");
      expect(refReplySignatureOk(reply)).toBe(true);

      const idempotency = getService(service.name)!.idempotency;
      if (idempotency?.mode === "notify") {
        // Stored and acknowledged; the tenant's queue delivers it to the HIS (test/worker/once-and-notify.test.ts).
        expect(gw.calls).toHaveLength(0);
        expect(reply.responseEncrypted).toBeUndefined();
        const queue = env.NOTIFICATIONS.get(env.NOTIFICATIONS.idFromName("TEST_WX\u00000"));
        const key = idempotency.key.map((k) => String(request[k])).join(":");
        // In any state: the queue may have delivered it already.
        const listed = await queue.list();
        expect(listed.map((d) => d.id)).toContain(`${service.name}:${key}`);
        return;
      }

      expect(gw.calls).toHaveLength(1);
      const call = gw.calls[0]!;
      expect(call.url).toBe(`http://his.test/api/${service.name}`);
      expect(call.method).toBe("POST");
      expect(call.headers["content-type"]).toBe("application/json");
      expect(call.headers["x-service"]).toBe(service.name);
      expect(call.headers["x-partner"]).toBe("TEST_WX");
      expect(call.headers["x-hospital-code"]).toBe("0");
      expect(call.headers["x-request-id"]).toMatch(/.+/);
      // Field by field: numbers as JSON numbers, lists as arrays, text as text.
      expect(call.body).toEqual(request);

      if (!response) {
        expect(reply.responseEncrypted).toBeUndefined();
        return;
      }
      const plain = refDecrypt(reply.responseEncrypted!, SEED_KEY);
      if (format === "json") {
        expect(JSON.parse(plain)).toEqual(toWireText(response));
      } else {
        expect(plain.startsWith("<response>")).toBe(true);
        const paths = new Set(listPaths("response", service.response!.fields as never));
        const parsed = new XMLParser({ parseTagValue: false, isArray: (_t, p) => paths.has(p as string) }).parse(plain);
        expect(parsed.response).toEqual(toWireText(response));
      }
    });
  });
});

describe("list nodes", () => {
  it("an element given once is a list of one, at every depth; a same-named scalar stays a scalar", async () => {
    const noon = {
      id: "S1",
      noon: 1,
      startTime: "08:00",
      endTime: "12:00",
      status: 1,
      totalCount: 20,
      remainCount: 5,
      registerFee: 1000,
      treatFee: 0,
      serviceFee: 0,
      otherFee: 0,
      level: 1,
      isTime: 0,
    };
    const data = {
      count: 1,
      schedule: [
        {
          doctorId: "D1",
          doctorName: "张医生",
          date: [{ registerDate: "2017-02-08", weekday: "星期三", noon: [noon] }],
        },
      ],
    };
    const gw = gateway(() => success(data));
    const request = refPayloadXml("request", {
      departmentId: "001",
      startDate: "2017-02-08",
      endDate: "2017-02-09",
      currentPage: "1",
      pageSize: "10",
    });
    const reply = refReadReply(
      await (
        await gw.fetch(
          "/wd/api",
          post(refEnvelope({ service: "GetScheduleInfo", format: "xml", payload: request }).body),
        )
      ).text(),
    );
    expect(reply.resultCode).toBe("SUCCESS");
    // The reply's XML carries one <schedule>, one <date>, one list <noon> holding a scalar <noon>.
    const plain = refDecrypt(reply.responseEncrypted!, SEED_KEY);
    expect(plain.match(/<schedule>/g)).toHaveLength(1);
    expect(plain).toContain("<noon><id><![CDATA[S1]]></id><noon><![CDATA[1]]></noon>");

    // And inbound: the same single-item tree sent by a platform in XML reaches the HIS as arrays.
    const user = refPayloadXml("request", { user: [{ id: "certifcate", type: "1", value: "110101199001011234" }] });
    const gw2 = gateway(() =>
      success({
        createTime: "2017-01-19 16:17:28",
        patientId: "P1",
        patientType: 1,
        patientFlag: 0,
        certifcateType: 1,
        certifcateNo: "1",
        name: "张三",
        sex: 1,
        birthday: "1990-01-01",
        age: 30,
      }),
    );
    await gw2.fetch("/wd/api", post(refEnvelope({ service: "GetPatientInfo", format: "xml", payload: user }).body));
    expect(gw2.calls[0]!.body).toEqual({ user: [{ id: "certifcate", type: "1", value: "110101199001011234" }] });
  });
});

describe("an empty page", () => {
  it.each(["xml", "json"] as const)(
    "GetDoctorInfo answered {count: 0, doctor: []}: SUCCESS, zero rows (%s)",
    async (format) => {
      const gw = gateway(() => success({ count: 0, doctor: [] }));
      const wire = { currentPage: "1", pageSize: "10" };
      const payload = format === "xml" ? refPayloadXml("request", wire) : JSON.stringify(wire);
      const reply = refReadReply(
        await (await gw.fetch("/wd/api", post(refEnvelope({ service: "GetDoctorInfo", format, payload }).body))).text(),
      );
      expect(reply.resultCode, reply.resultMessage).toBe("SUCCESS");
      const plain = refDecrypt(reply.responseEncrypted!, SEED_KEY);
      // XML has no way to write an empty list but to leave its element out; JSON says [].
      if (format === "xml") {
        expect(plain).toContain("<count><![CDATA[0]]></count>");
        expect(plain).not.toContain("<doctor");
      } else expect(JSON.parse(plain)).toEqual({ count: "0", doctor: [] });
    },
  );

  it("a missing required list is still ILLEGAL_RESPONSE naming it", async () => {
    const gw = gateway(() => success({ count: 0 }));
    const payload = JSON.stringify({ currentPage: "1", pageSize: "10" });
    const reply = refReadReply(
      await (
        await gw.fetch("/wd/api", post(refEnvelope({ service: "GetDoctorInfo", format: "json", payload }).body))
      ).text(),
    );
    expect(reply.resultCode).toBe("ILLEGAL_RESPONSE");
    expect(reply.resultMessage).toContain("response.doctor");
  });
});

describe("paging and amounts the spec bounds", () => {
  it.each([
    ["pageSize", "0"],
    ["pageSize", "-5"],
    ["currentPage", "0"],
  ])("GetDoctorInfo with %s %s: ILLEGAL_ARGUMENT, the HIS not called", async (field, value) => {
    const gw = gateway(() => success({ count: 0, doctor: [] }));
    const payload = JSON.stringify({ currentPage: "1", pageSize: "10", [field]: value });
    const reply = refReadReply(
      await (
        await gw.fetch("/wd/api", post(refEnvelope({ service: "GetDoctorInfo", format: "json", payload }).body))
      ).text(),
    );
    expect(reply.resultCode).toBe("ILLEGAL_ARGUMENT");
    expect(reply.resultMessage).toContain(`request.${field}`);
    expect(gw.calls).toHaveLength(0);
  });
});
