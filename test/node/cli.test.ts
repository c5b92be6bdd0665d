// The integrator CLI (cli/), run as a child process through its launcher, exactly as `npx hisgate` runs it:
// the seed's known answers for sign / verify / encrypt / decrypt, one-line errors for bad input, and `call` /
// `check` against the real gateway (wrangler's unstable_startWorker: the worker bundled from wrangler.jsonc,
// in workerd) in front of a node:http stub that plays the hospital's HIS and the platform.
import { createCipheriv } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unstable_startWorker } from "wrangler";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECK_ORDER, newContext, sampleRequest } from "../../cli/lib/samples.js";
import { findService, getService, services } from "../../generated/registry.js";
import { hisgate, root, type Run } from "../support/cli.js";
import { refDecrypt, refEncrypt, refSign, SEED_KEY } from "../support/reference.js";
import { SEED_JSON_REQUEST, SEED_XML_REQUEST, XML_CIPHERTEXT, XML_PAYLOAD } from "../support/seed-vectors.js";
import { specService, toWireText, typedSample } from "../support/samples.js";

const work = mkdtempSync(join(tmpdir(), "hisgate-cli-"));

const file = (name: string, text: string): string => {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
};

/** Exit non-zero with exactly one line on stderr, and never a stack trace. */
function expectOneLineError(run: Run, code = 2): void {
  expect(run.code, run.stderr).toBe(code);
  const lines = run.stderr.split("\n").filter((l) => l !== "");
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^hisgate: /);
  expect(run.stderr).not.toMatch(/^\s+at /m);
}

// The seed's GET example as printed (line breaks of the PDF included, host a placeholder).
const SEED_GET = `http://ip:port/wd/spi/testnet?partner=TEST_WX&logNo=Spi00001&version=V1.0.0&h
ospitalCode=43010001&inputCharset=utf-8&signType=md5&sign=2A3D153984E85
ABBA3B3E0E3E1622AAB&requestEncrypted=WXzV3/6APXYdqsoZlVuANTSxfNRb
E6H1PB17Bw4MTA4=`;
const SEED_XML_REPLY = `<?xml version="1.0" encoding="utf-8"?><root><resultCode><![CDATA[SUCCESS]]></resultCode><resultMessage><![CDATA[成功]]></resultMessage><sign><![CDATA[5A79CE775EC879E11B88EF71D69F131E]]></sign><signType><![CDATA[md5]]></signType><responseEncrypted><![CDATA[dbvhbM8Ckn+xUMWC8mmVO3bMEcsql4P4sUDAKjE6ZEQeQwz7o0vN/+xdsjsmNLo6PISHwoS9d+6LzWgJYeRMhHFs99uN84ajwMMqEeSLDvU=]]></responseEncrypted></root>`;

describe("hisgate sign / verify: the seed's known answers", () => {
  it("sign: the XML example signed under TestNet gives 389F…, canonical string printed, key masked", async () => {
    const run = await hisgate(["sign", file("seed.xml", SEED_XML_REQUEST), "--service", "TestNet", "-k", SEED_KEY]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      `dataFormat=xml&hospitalCode=0&inputCharset=utf-8&partner=TEST_WX&requestEncrypted=${XML_CIPHERTEXT}&service=TestNet&key=****99EC\n`,
    );
    expect(run.stdout).toContain("sign: 389F6997DA8530F147D4AD7AF41C5C30");
    expect(run.stdout).not.toContain(SEED_KEY);
    const shown = await hisgate(["sign", "-", "--service", "TestNet", "-k", SEED_KEY, "--show-key"], SEED_XML_REQUEST);
    expect(shown.stdout).toContain(`&service=TestNet&key=${SEED_KEY}\n`);
  });

  it("sign: from --param, as the envelope is sent (NetTest), a different sign", async () => {
    const run = await hisgate([
      "sign",
      ...["service=NetTest", "partner=TEST_WX", "hospitalCode=0", "dataFormat=xml", "inputCharset=utf-8"].flatMap(
        (p) => ["--param", p],
      ),
      "--param",
      `requestEncrypted=${XML_CIPHERTEXT}`,
      "-k",
      SEED_KEY,
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("&service=NetTest&key=****99EC");
    expect(run.stdout).not.toContain("389F6997DA8530F147D4AD7AF41C5C30");
  });

  it("verify: the XML example matches under TestNet, after NetTest was tried", async () => {
    const run = await hisgate(["verify", file("seed.xml", SEED_XML_REQUEST), "-k", SEED_KEY]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/\[1\] service=NetTest: [0-9A-F]{32}\n/);
    expect(run.stdout).toContain("[2] service=TestNet: 389F6997DA8530F147D4AD7AF41C5C30  MATCH");
    expect(run.stdout).toContain("&service=NetTest&key=****99EC");
    expect(run.stdout).toContain("OK: the sign matches service=TestNet (the envelope sends NetTest)");
    expect(run.stderr).toBe("");
  });

  it("verify: with two keys (a rotation) says which key matched", async () => {
    const other = "0123456789ABCDEF";
    const run = await hisgate(["verify", file("seed.xml", SEED_XML_REQUEST), "-k", other, "-k", SEED_KEY]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("canonical strings tried with key 1 (****CDEF)");
    expect(run.stdout).toContain("OK: the sign matches key 2 (****99EC), service=TestNet");
    expect(run.stdout).not.toContain(SEED_KEY);
    const none = await hisgate(["verify", file("seed.xml", SEED_XML_REQUEST), "-k", other, "-k", "FEDCBA9876543210"]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/MISMATCH: none of the \d+ canonical strings of the 2 keys signs to 389F/);
  });

  it("verify: the JSON example (722289…) matches under TestNet", async () => {
    const run = await hisgate(["verify", file("seed.json", SEED_JSON_REQUEST), "-k", SEED_KEY]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("service=TestNet: 722289C58286EC2B41EF764CD5B0259D  MATCH");
  });

  it("verify: the GET example (2A3D…) from --url-query and from a file, matched under NetTest", async () => {
    for (const args of [["--url-query", SEED_GET], [file("get.txt", SEED_GET)]]) {
      const run = await hisgate(["verify", ...args, "-k", SEED_KEY]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain("partner TEST_WX, hospitalCode 43010001");
      expect(run.stdout).toContain("service=NetTest: 2A3D153984E85ABBA3B3E0E3E1622AAB  MATCH");
      // logNo and version are not base params that are signed.
      expect(run.stdout).not.toContain("logNo=");
    }
  });

  it("verify: the seed's reply example (5A79…)", async () => {
    const run = await hisgate(["verify", "-", "-k", SEED_KEY], SEED_XML_REPLY);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("reply envelope (xml): resultCode SUCCESS");
    expect(run.stdout).toContain("5A79CE775EC879E11B88EF71D69F131E  MATCH");
  });

  it("verify: a tampered sign is a mismatch (exit 1), every form listed, one line on stderr", async () => {
    const run = await hisgate(
      ["verify", "-", "-k", SEED_KEY],
      SEED_JSON_REQUEST.replace("722289C58286EC2B41EF764CD5B0259D", "722289C58286EC2B41EF764CD5B0259E"),
    );
    expectOneLineError(run, 1);
    expect(run.stderr).toContain("MISMATCH");
    expect(run.stdout).toContain("service=NetTest");
    expect(run.stdout).toContain("service=TestNet");
    expect(run.stdout).not.toContain("MATCH\n");
  });

  it("verify: empty values are tried both ways, and a near miss (signType signed) is explained", async () => {
    const params = {
      service: "TestNet",
      partner: "TEST_WX",
      hospitalCode: "0",
      dataFormat: "json",
      inputCharset: "utf-8",
      requestEncrypted: XML_CIPHERTEXT,
    };
    // dataFormat sent empty: one signer leaves it out of the canonical string, another writes "dataFormat=".
    const { dataFormat: _omitted, ...withoutDataFormat } = params;
    const sent = { ...params, dataFormat: "", signType: "md5" };
    const leftOut = await hisgate(
      ["verify", "-", "-k", SEED_KEY],
      JSON.stringify({ ...sent, sign: refSign(withoutDataFormat, SEED_KEY) }),
    );
    expect(leftOut.code, leftOut.stdout).toBe(0);
    expect(leftOut.stdout).toContain("OK: the sign matches service=TestNet, empty values left out");
    const included = await hisgate(
      ["verify", "-", "-k", SEED_KEY],
      JSON.stringify({ ...sent, sign: refSign({ ...params, dataFormat: "" }, SEED_KEY) }),
    );
    expect(included.code).toBe(0);
    expect(included.stdout).toContain("dataFormat=&hospitalCode=0");
    expect(included.stdout).toContain("OK: the sign matches service=TestNet\n");
    const signedSignType = JSON.stringify({
      ...params,
      signType: "md5",
      sign: refSign({ ...params, signType: "md5" }, SEED_KEY),
    });
    const miss = await hisgate(["verify", "-", "-k", SEED_KEY], signedSignType);
    expect(miss.code).toBe(1);
    expect(miss.stdout).toContain("hint: it would match (service=TestNet) if signType were signed too");
  });
});

describe("hisgate encrypt / decrypt", () => {
  it("encrypts the seed's XML payload to its ciphertext", async () => {
    const run = await hisgate(["encrypt", XML_PAYLOAD, "--key", SEED_KEY]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`${XML_CIPHERTEXT}\n`);
    // From stdin (the final line break of `echo` is not part of the payload).
    expect((await hisgate(["encrypt", "-k", SEED_KEY], `${XML_PAYLOAD}\n`)).stdout).toBe(`${XML_CIPHERTEXT}\n`);
  });

  it("decrypt round-trips, from an argument, a file and stdin", async () => {
    expect((await hisgate(["decrypt", XML_CIPHERTEXT, "-k", SEED_KEY])).stdout).toBe(`${XML_PAYLOAD}\n`);
    expect((await hisgate(["decrypt", "-f", file("c.txt", `${XML_CIPHERTEXT}\n`), "-k", SEED_KEY])).stdout).toBe(
      `${XML_PAYLOAD}\n`,
    );
    const chinese = '{"name":"张三"}';
    const encrypted = await hisgate(["encrypt", chinese, "-k", SEED_KEY]);
    const decrypted = await hisgate(["decrypt", "-k", SEED_KEY], encrypted.stdout);
    expect(decrypted.stdout).toBe(`${chinese}\n`);
    expect(refDecrypt(encrypted.stdout.trim(), SEED_KEY)).toBe(chinese);
  });

  it.each([
    ["not base64", "abc!", /not base64/],
    ["not whole blocks", "QUJD", /3 bytes, not a multiple of the 16-byte block/],
    ["bad padding (wrong key)", refEncrypt(XML_PAYLOAD, "1234567890ABCDEF"), /bad padding/],
    ["not UTF-8", refEncryptBytes(Buffer.from([0xff, 0xfe, 0x41])), /not UTF-8/],
  ])("decrypt: %s is one line, exit 1", async (_name, ciphertext, message) => {
    const run = await hisgate(["decrypt", ciphertext, "-k", SEED_KEY]);
    expectOneLineError(run, 1);
    expect(run.stderr).toMatch(message);
  });
});

/** Encrypts raw bytes (refEncrypt takes text), to make a ciphertext whose plaintext is not UTF-8. */
function refEncryptBytes(bytes: Buffer): string {
  const cipher = createCipheriv("aes-128-ecb", Buffer.from(SEED_KEY, "utf8"), null);
  return Buffer.concat([cipher.update(bytes), cipher.final()]).toString("base64");
}

describe("hisgate: bad input is one clear line, never a stack trace", () => {
  const peer = ["--url", "http://127.0.0.1:9", "--partner", "TEST_WX", "--hospital", "0"];
  it.each([
    ["no command", []],
    ["unknown command", ["frobnicate"]],
    ["unknown option", ["sign", "--frob", "-k", SEED_KEY]],
    ["missing --key", ["sign", "--param", "service=TestNet"]],
    ["key not 16 bytes", ["encrypt", "x", "-k", "short"]],
    ["key of 16 characters but 20 bytes", ["encrypt", "x", "-k", "密钥12345678901234"]],
    ["unreadable file", ["verify", "/nonexistent/envelope.xml", "-k", SEED_KEY]],
    ["an envelope that is no envelope", ["verify", "-", "-k", SEED_KEY], "<html><body>hi</body></html>"],
    ["malformed XML", ["verify", "-", "-k", SEED_KEY], "<root><sign>x</root>"],
    ["no sign to verify", ["verify", "--param", "service=TestNet", "-k", SEED_KEY]],
    ["invalid JSON payload", ["call", "TestNet", "--data", "{oops", ...peer, "-k", SEED_KEY]],
    ["payload failing validation", ["call", "TestNet", "--data", '{"ip":""}', ...peer, "-k", SEED_KEY]],
    ["unknown service", ["call", "NoSuchService", ...peer, "-k", SEED_KEY]],
    ["state-changing service without a payload", ["call", "Pay", ...peer, "-k", SEED_KEY]],
    ["missing --url", ["call", "TestNet", "--partner", "TEST_WX", "--hospital", "0", "-k", SEED_KEY]],
    ["bad --format", ["call", "TestNet", ...peer, "-k", SEED_KEY, "--format", "yaml"]],
    ["hospital -> platform without --token", ["call", "QueryRefund", ...peer]],
    ["check: missing --partner", ["check", "--url", "http://127.0.0.1:9", "--hospital", "0", "-k", SEED_KEY]],
  ] as [string, string[], string?][])("%s", async (_name, args, input) => {
    expectOneLineError(await hisgate(args, input ?? ""));
  });

  it("an unreachable URL: exit 1, one line naming it", async () => {
    const port = await closedPort();
    for (const command of [["call", "TestNet"], ["check"]]) {
      const run = await hisgate([
        ...command,
        "--url",
        `http://127.0.0.1:${port}`,
        "--partner",
        "TEST_WX",
        "--hospital",
        "0",
        "-k",
        SEED_KEY,
      ]);
      expectOneLineError(run, 1);
      expect(run.stderr).toContain(`cannot reach http://127.0.0.1:${port}/wd/api: ECONNREFUSED`);
    }
  });

  it("--help for every command", async () => {
    for (const command of ["sign", "verify", "encrypt", "decrypt", "call", "check"]) {
      const run = await hisgate([command, "--help"]);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^Usage: hisgate ${command} `));
    }
    expect((await hisgate(["--help"])).stdout).toContain("Commands:");
  });
});

describe("the CLI's sample requests", () => {
  it("every one is valid against its generated request validator", () => {
    const ctx = newContext(new Date("2026-02-28T20:00:00Z"));
    for (const def of services) {
      const result = def.validateRequest(sampleRequest(def.name, ctx));
      expect(result.ok ? [] : result.errors.map((e) => e.path), def.name).toEqual([]);
    }
    expect(ctx.today).toBe("2026-03-01"); // Beijing time
    expect(new Set(CHECK_ORDER)).toEqual(
      new Set(services.filter((s) => s.direction === "platformToHospital").map((s) => s.name)),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// call / check against the real gateway.

const PARTNER = "TEST_WX";
const HOSPITAL = "0";
const TOKEN = "cli-test-his-token";

type HisMode = "ok" | "business" | "broken" | "odd";
/** How the stub HIS answers each service (default ok). */
const hisModes = new Map<string, HisMode>();
const hisCalls: string[] = [];

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = "";
    req.setEncoding("utf8").on("data", (d: string) => (body += d));
    req.on("end", () => resolve(body));
  });
}

/** Valid business data for a service's response, built from spec/ (not from the worker). */
function responseData(name: string): Record<string, unknown> {
  return typedSample(specService(name).response!.fields);
}

async function stub(req: IncomingMessage): Promise<{ status: number; body: string }> {
  const url = new URL(req.url ?? "/", "http://stub");
  const text = await readBody(req);
  if (url.pathname.startsWith("/his/")) {
    // The HIS contract (generated/openapi.json): POST {hisUrl}/{Service}, typed JSON in and out.
    const service = String(req.headers["x-service"]);
    hisCalls.push(service);
    const def = getService(service)!;
    const mode = hisModes.get(service) ?? "ok";
    if (mode === "business") {
      const [code, message] = Object.entries(def.resultCodes)[0] ?? ["S00000001", "业务失败"];
      return { status: 200, body: JSON.stringify({ resultCode: code, resultMessage: message }) };
    }
    if (mode === "odd")
      return { status: 200, body: JSON.stringify({ resultCode: "E001", resultMessage: "自定义错误" }) };
    const data = mode === "broken" ? {} : def.hasResponse ? responseData(service) : undefined;
    return { status: 200, body: JSON.stringify({ resultCode: "SUCCESS", resultMessage: "成功", data }) };
  }
  if (url.pathname === "/platform-api") {
    // The platform: reads the gateway's JSON envelope and answers SUCCESS, signed and encrypted (reference code).
    const envelope = JSON.parse(text) as Record<string, string>;
    const def = findService("hospitalToPlatform", envelope.service!)!;
    const responseEncrypted = refEncrypt(JSON.stringify(toWireText(responseData(def.name))), SEED_KEY);
    const reply = { resultCode: "SUCCESS", resultMessage: "成功", responseEncrypted };
    return { status: 200, body: JSON.stringify({ ...reply, signType: "md5", sign: refSign(reply, SEED_KEY) }) };
  }
  return { status: 404, body: "not found" };
}

let server: Server;
let worker: Awaited<ReturnType<typeof unstable_startWorker>> | undefined;
let gatewayUrl = "";

beforeAll(async () => {
  server = createServer((req, res) => {
    stub(req).then(
      ({ status, body }) => res.writeHead(status, { "content-type": "application/json" }).end(body),
      (e: unknown) => res.writeHead(500).end(String(e)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const tenants = [
    {
      partner: PARTNER,
      hospitalCode: HOSPITAL,
      key: SEED_KEY,
      hisUrl: `${base}/his`,
      hisToken: TOKEN,
      platformUrl: `${base}/platform-api`,
      hisTimeoutMs: 5000,
    },
  ];
  worker = await unstable_startWorker({
    config: join(root, "wrangler.jsonc"),
    bindings: { TENANTS: { type: "plain_text", value: JSON.stringify(tenants) } },
    dev: {
      server: { hostname: "127.0.0.1", port: 0 },
      inspector: false,
      watch: false,
      persist: false,
      logLevel: "error",
    },
  });
  await worker.ready;
  gatewayUrl = (await worker.url).href.replace(/\/$/, "");
}, 90_000);

afterAll(async () => {
  await worker?.dispose();
  await new Promise((resolve) => server?.close(resolve));
});

const asPlatform = () => ["--url", gatewayUrl, "--partner", PARTNER, "--hospital", HOSPITAL, "-k", SEED_KEY];

describe("hisgate call, against the gateway", () => {
  it.each(["json", "xml", "get", "soap"])(
    "TestNet over %s: verified, decrypted, validated, printed typed",
    async (format) => {
      const run = await hisgate(["call", "TestNet", ...asPlatform(), "--format", format, "--format-output", "json"]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toBe("");
      const reply = JSON.parse(run.stdout) as { resultCode: string; data: { systemTime: string } };
      expect(reply.resultCode).toBe("SUCCESS");
      expect(reply.data.systemTime).toBe(responseData("TestNet").systemTime);
      expect(run.stdout.trim().split("\n")).toHaveLength(1);
    },
  );

  it("GetDepartmentInfo with a payload file: numbers come back typed", async () => {
    const payload = file("departments.json", '{"currentPage": "1", "pageSize": 5}');
    const run = await hisgate(["call", "GetDepartmentInfo", payload, ...asPlatform()]);
    expect(run.code, run.stderr).toBe(0);
    const reply = JSON.parse(run.stdout) as { data: { count: unknown; department: { level: unknown }[] } };
    expect(typeof reply.data.count).toBe("number");
    expect(typeof reply.data.department[0]!.level).toBe("number");
    expect(run.stdout).toContain('\n  "resultCode": "SUCCESS"'); // pretty by default
  });

  it("a business code is printed, exit 0, with a note", async () => {
    hisModes.set("CheckCard", "business");
    const run = await hisgate(["call", "CheckCard", ...asPlatform()]);
    hisModes.delete("CheckCard");
    expect(run.code, run.stderr).toBe(0);
    const code = Object.keys(getService("CheckCard")!.resultCodes)[0]!;
    expect(JSON.parse(run.stdout).resultCode).toBe(code);
    expect(run.stderr).toContain("business code");
  });

  it("a reply signed with another key fails loudly, showing nothing as data", async () => {
    const run = await hisgate([
      "call",
      "TestNet",
      "--url",
      gatewayUrl,
      "--partner",
      PARTNER,
      "--hospital",
      HOSPITAL,
      "-k",
      "0123456789ABCDEF",
    ]);
    expectOneLineError(run, 1);
    expect(run.stderr).toContain("the reply's signature does not verify with this key (it says ILLEGAL_SIGN");
    expect(run.stdout).toBe("");
  });

  it("an unknown partner: the gateway cannot sign, the CLI says so", async () => {
    const run = await hisgate(["call", "TestNet", ...asPlatform().map((a) => (a === PARTNER ? "NOBODY" : a))]);
    expectOneLineError(run, 1);
    expect(run.stderr).toContain("the reply is not signed (it says ILLEGAL_PARTNER");
  });

  it("an HIS answer that fails validation is the gateway's signed ILLEGAL_RESPONSE: exit 1", async () => {
    hisModes.set("GetDoctorInfo", "broken");
    const run = await hisgate(["call", "GetDoctorInfo", ...asPlatform()]);
    hisModes.delete("GetDoctorInfo");
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).resultCode).toBe("ILLEGAL_RESPONSE");
    expect(run.stderr).toMatch(/^hisgate: call: GetDoctorInfo: ILLEGAL_RESPONSE/);
  });

  it("hospital -> platform: QueryRefund through /platform with the hisToken", async () => {
    const payload = JSON.stringify({ businessType: 1, hospitalRefundId: "R1" });
    const run = await hisgate(["call", "QueryRefund", "--data", payload, "--url", gatewayUrl, "--token", TOKEN]);
    expect(run.code, run.stderr).toBe(0);
    const reply = JSON.parse(run.stdout) as { resultCode: string; data: Record<string, unknown> };
    expect(reply.resultCode).toBe("SUCCESS");
    expect(reply.data.refundFee).toBe(responseData("QueryRefund").refundFee);
    const refused = await hisgate(["call", "QueryRefund", "--data", payload, "--url", gatewayUrl, "--token", "nope"]);
    expectOneLineError(refused, 1);
    expect(refused.stderr).toContain("refused the token");
  });
});

describe("hisgate check, against the gateway", () => {
  const progress = /^\[ ?\d+\/\d+\] (\w+) \.\.\. (.+) (\d+) ms$/;

  it("--read-only: every read-only service, progress per service, summary table, exit 0", async () => {
    hisModes.set("GetPatientInfo", "business");
    hisCalls.length = 0;
    const run = await hisgate(["check", ...asPlatform(), "--read-only"]);
    hisModes.delete("GetPatientInfo");
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const lines = run.stdout.split("\n");
    const steps = lines.filter((l) => progress.test(l));
    expect(steps.map((l) => progress.exec(l)![1])).toEqual([
      "TestNet",
      "GetDepartmentInfo",
      "GetDoctorInfo",
      "GetScheduleInfo",
      "GetScheduleTimeInfo",
      "QueryStopRegister",
      "GetPatientInfo",
      "CheckCard",
      "QueryRegister",
      "GetStatement",
    ]);
    expect(steps[0]).toMatch(/^\[ 1\/10\] TestNet \.\.\. SUCCESS \d+ ms$/);
    expect(lines.find((l) => l.startsWith("[ 7/10] GetPatientInfo"))).toContain(
      Object.keys(getService("GetPatientInfo")!.resultCodes)[0]!,
    );
    const header = lines.findIndex((l) => /^service\s+result\s+signature\s+response valid\s+ms/.test(l));
    expect(header).toBeGreaterThan(0);
    expect(lines[header + 2]).toMatch(/^TestNet\s+SUCCESS\s+yes\s+yes\s+\d+\s+pass$/);
    expect(lines.find((l) => l.startsWith("GetPatientInfo "))).toMatch(/pass\s+business code: /);
    expect(run.stdout).toContain("10 services: 10 passed (1 with a business code), 0 failed; skipped (read-only)");
    // Nothing that changes state reached the HIS.
    expect(hisCalls.filter((s) => ["Pay", "Refund", "OrderRegister", "CreatePatient"].includes(s))).toEqual([]);
    // The sweep walked the hospital's own data: the doctor query named the department it had just learned.
    expect(hisCalls).toContain("GetScheduleTimeInfo");
  });

  it("everything, in XML, with --token (QueryRefund and DownloadStatement through /platform), JSON report", async () => {
    const run = await hisgate(["check", ...asPlatform(), "--format", "xml", "--token", TOKEN, "--output", "json"]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as {
      passed: boolean;
      results: { service: string; resultCode: string; verified: boolean | null; valid: boolean | null }[];
    };
    expect(report.passed).toBe(true);
    expect(report.results.map((r) => r.service)).toEqual([...CHECK_ORDER, "QueryRefund", "DownloadStatement"]);
    expect(report.results.every((r) => r.resultCode === "SUCCESS")).toBe(true);
    const pay = report.results.find((r) => r.service === "Pay")!;
    expect(pay).toMatchObject({ verified: true, valid: true });
    expect(report.results.find((r) => r.service === "NotifyRefund")).toMatchObject({ verified: true, valid: null });
    expect(report.results.find((r) => r.service === "QueryRefund")).toMatchObject({ verified: null, valid: true });
    // Progress went to stderr, out of the JSON's way.
    expect(run.stderr.split("\n").filter((l) => progress.test(l))).toHaveLength(18);
  });

  it("an envelope-level failure fails the check: exit 1, the row says why", async () => {
    hisModes.set("GetScheduleInfo", "broken");
    const run = await hisgate(["check", ...asPlatform(), "--read-only", "--format", "get"]);
    hisModes.delete("GetScheduleInfo");
    expect(run.code).toBe(1);
    const row = run.stdout.split("\n").find((l) => l.startsWith("GetScheduleInfo "));
    expect(row).toMatch(/^GetScheduleInfo\s+ILLEGAL_RESPONSE\s+yes\s+-\s+\d+\s+FAIL\s+ILLEGAL_RESPONSE: /);
    expect(run.stdout).toContain("9 passed, 1 failed");
  });
});

describe("hisgate check: options", () => {
  it("--only, and a result code the standard does not know fails", async () => {
    hisModes.set("GetDoctorInfo", "odd");
    const run = await hisgate(["check", ...asPlatform(), "--only", "testnet,GetDoctorInfo"]);
    hisModes.delete("GetDoctorInfo");
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^\[1\/2\] TestNet \.\.\. SUCCESS/m);
    expect(run.stdout).toMatch(/^GetDoctorInfo\s+E001\s+yes\s+-\s+\d+\s+FAIL\s+E001 is neither a result code/m);
  });

  it("--samples replaces a built-in request, and is validated before anything is sent", async () => {
    const good = file(
      "samples.json",
      JSON.stringify({ GetDepartmentInfo: { departmentId: "D1", currentPage: 1, pageSize: 1 } }),
    );
    const run = await hisgate(["check", ...asPlatform(), "--only", "GetDepartmentInfo", "--samples", good]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const bad = file("bad-samples.json", JSON.stringify({ GetDepartmentInfo: { pageSize: 1 } }));
    hisCalls.length = 0;
    const refused = await hisgate(["check", ...asPlatform(), "--samples", bad]);
    expectOneLineError(refused);
    expect(refused.stderr).toContain("GetDepartmentInfo is not a valid request: request.currentPage is required");
    expect(hisCalls).toEqual([]);
  });
});

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe("hisgate trace, against the gateway", () => {
  it("prints an order's timeline from the message trail, oldest first, with its other business ids", async () => {
    const orderId = `TRACE${Date.now()}`;
    const order = { ...typedSample(specService("OrderRegister").request.fields), orderId };
    const pay = { ...typedSample(specService("Pay").request.fields), orderId, outTradeId: `LS${Date.now()}` };
    for (const [service, payload] of [
      ["OrderRegister", order],
      ["Pay", pay],
    ] as const) {
      const run = await hisgate(["call", service, "--data", JSON.stringify(payload), ...asPlatform()]);
      expect(run.code, run.stderr).toBe(0);
    }
    const trace = ["trace", orderId, "--url", gatewayUrl, "--token", TOKEN];
    // The trail is written after the answer: give it a moment.
    let messages: { service: string; resultCode: string; ids: Record<string, string> }[] = [];
    for (let i = 0; i < 40 && messages.length < 2; i++) {
      const run = await hisgate([...trace, "--format-output", "json"]);
      messages = run.code === 0 ? JSON.parse(run.stdout) : [];
      if (messages.length < 2) await new Promise((r) => setTimeout(r, 100));
    }
    expect(messages.map((m) => [m.service, m.resultCode])).toEqual([
      ["OrderRegister", "SUCCESS"],
      ["Pay", "SUCCESS"],
    ]);
    expect(messages[1]!.ids).toMatchObject({ orderId, outTradeId: pay.outTradeId });
    const table = await hisgate(trace);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain(`order ${orderId}: 2 exchanges`);
    expect(table.stdout.indexOf("OrderRegister")).toBeLessThan(table.stdout.indexOf("Pay"));
    expect(table.stdout).toContain(`outTradeId=${pay.outTradeId}`);
  });

  it("an order the trail does not know: exit 1; a wrong token: one clear line", async () => {
    const none = await hisgate(["trace", "NO-SUCH-ORDER", "--url", gatewayUrl, "--token", TOKEN]);
    expect(none.code).toBe(1);
    expect(none.stdout).toContain("no exchanges");
    expectOneLineError(await hisgate(["trace", "X", "--url", gatewayUrl, "--token", "wrong"]), 1);
    expectOneLineError(await hisgate(["trace", "X", "--url", gatewayUrl]), 2);
  });
});
