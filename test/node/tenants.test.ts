// TENANTS: a bad configuration fails loudly, with the exact setting and what is wrong.
import { describe, expect, it } from "vitest";
import { currentKey, keysValidAt } from "../../worker/src/config/keys.js";
import { ConfigError, parseTenants } from "../../worker/src/config/tenants.js";

const ok = { partner: "TEST_WX", hospitalCode: "0", key: "2098D32C4D1399EC", hisUrl: "https://his.example/api" };

describe("TENANTS", () => {
  it("reads alerts with their defaults", () => {
    const [t] = parseTenants(
      JSON.stringify([{ ...ok, alerts: { webhook: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k" } }]),
    ).all;
    expect(t!.alerts).toEqual({
      webhook: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
      codes: [
        "SYSTEM_ERROR",
        "SESSION_TIMEOUT",
        "NULL_RESPONSE",
        "ILLEGAL_RESPONSE",
        "ILLEGAL_EXTERFACE",
        "ILLEGAL_SECURITY_KEY",
      ],
      rate: 0.2,
      windowMinutes: 5,
      minRequests: 5,
    });
  });

  it("reads a valid entry, with defaults", () => {
    const t = parseTenants(JSON.stringify([ok])).find("TEST_WX", "0")!;
    expect(t).toMatchObject({
      hisUrl: "https://his.example/api",
      hisTimeoutMs: 10_000,
      platformFormat: "json",
      hisHeaders: {},
    });
    expect(t.keyProblem).toBeUndefined();
  });

  it("flags a key that is not 16 bytes on that tenant only", () => {
    const dir = parseTenants(JSON.stringify([ok, { ...ok, hospitalCode: "1", key: "密钥1234567890AB" }]));
    expect(dir.find("TEST_WX", "0")!.keyProblem).toBeUndefined();
    expect(dir.find("TEST_WX", "1")!.keyProblem).toMatch(/bytes/);
  });

  it("reads keys with windows; three keys one after another are fine (at most two overlap)", () => {
    const keys = [
      { key: "AAAAAAAAAAAAAAAA", until: "2026-12-31T00:00:00+08:00" },
      { key: "BBBBBBBBBBBBBBBB", from: "2026-12-20T00:00:00+08:00", until: "2027-06-30T00:00:00+08:00" },
      { key: "CCCCCCCCCCCCCCCC", from: "2027-06-01T00:00:00+08:00" },
    ];
    const t = parseTenants(JSON.stringify([{ ...ok, key: undefined, keys }])).find("TEST_WX", "0")!;
    expect(t.keys.map((k) => [k.index, k.from, k.until])).toEqual([
      [0, undefined, Date.parse("2026-12-30T16:00:00Z")],
      [1, Date.parse("2026-12-19T16:00:00Z"), Date.parse("2027-06-29T16:00:00Z")],
      [2, Date.parse("2027-05-31T16:00:00Z"), undefined],
    ]);
    expect(t.keyProblem).toBeUndefined();
  });

  it("picks the keys valid now and the current key: the newest whose from has passed", () => {
    const keys = [
      { key: "AAAAAAAAAAAAAAAA", index: 0, until: 2000 },
      { key: "BBBBBBBBBBBBBBBB", index: 1, from: 1000 },
    ];
    const rows = [999, 1000, 1999, 2000].map((now) => [
      now,
      keysValidAt(keys, now).map((k) => k.index),
      currentKey(keys, now)?.index,
    ]);
    expect(rows).toEqual([
      [999, [0], 0],
      [1000, [0, 1], 1],
      [1999, [0, 1], 1],
      [2000, [1], 1],
    ]);
    expect(currentKey([{ key: "AAAAAAAAAAAAAAAA", index: 0, until: 5 }], 5)).toBeUndefined();
  });

  it("a header value is a secret: a refused one is named, never repeated", () => {
    const json = JSON.stringify([{ ...ok, hisHeaders: { "CF-Access-Client-Secret": "s3cr3t\nX: 1" } }]);
    expect(() => parseTenants(json)).toThrowError(/CF-Access-Client-Secret holds a CR, LF or NUL/);
    expect(() => parseTenants(json)).not.toThrowError(/s3cr3t/);
  });

  it.each([
    ["unset", undefined, "TENANTS is not set"],
    ["not JSON", "[{", "TENANTS is not valid JSON"],
    ["empty", "[]", "non-empty JSON array"],
    ["missing partner", JSON.stringify([{ ...ok, partner: undefined }]), "TENANTS[0].partner is required"],
    ["missing hisUrl and hisService", JSON.stringify([{ ...ok, hisUrl: undefined }]), "TENANTS[0].hisUrl is required"],
    ["hisUrl not http(s)", JSON.stringify([{ ...ok, hisUrl: "ftp://x" }]), "TENANTS[0].hisUrl must be an http(s) URL"],
    ["unknown setting", JSON.stringify([{ ...ok, hisURL: "x" }]), "TENANTS[0].hisURL is not a known setting"],
    [
      "unknown service",
      JSON.stringify([{ ...ok, services: ["Pay", "Pey"] }]),
      'TENANTS[0].services: unknown service "Pey"',
    ],
    [
      "bad timeout",
      JSON.stringify([{ ...ok, hisTimeoutMs: -1 }]),
      "TENANTS[0].hisTimeoutMs must be a positive integer",
    ],
    [
      "bad route",
      JSON.stringify([{ ...ok, routes: { Pay: { method: "DELETE", path: "/x" } } }]),
      "TENANTS[0].routes.Pay must be",
    ],
    [
      "bad headers",
      JSON.stringify([{ ...ok, hisHeaders: { a: 1 } }]),
      "TENANTS[0].hisHeaders must be an object of header strings",
    ],
    ["key and keys", JSON.stringify([{ ...ok, keys: [{ key: ok.key }] }]), "TENANTS[0]: give key or keys, not both"],
    ["no key", JSON.stringify([{ ...ok, key: undefined }]), "TENANTS[0].key (or keys) is required"],
    ["keys empty", JSON.stringify([{ ...ok, key: undefined, keys: [] }]), "TENANTS[0].keys must be a non-empty array"],
    [
      "an instant without offset",
      JSON.stringify([{ ...ok, key: undefined, keys: [{ key: ok.key, from: "2026-12-20T00:00:00" }] }]),
      "TENANTS[0].keys[0].from must be an ISO 8601 instant with an offset",
    ],
    [
      "until before from",
      JSON.stringify([
        { ...ok, key: undefined, keys: [{ key: ok.key, from: "2026-12-20T00:00:00Z", until: "2026-12-19T00:00:00Z" }] },
      ]),
      "TENANTS[0].keys[0].until must be later than from",
    ],
    [
      "an unknown key setting",
      JSON.stringify([{ ...ok, key: undefined, keys: [{ key: ok.key, form: "2026-12-20T00:00:00Z" }] }]),
      "TENANTS[0].keys[0].form is not a known setting",
    ],
    [
      "two keys valid always",
      JSON.stringify([
        {
          ...ok,
          key: undefined,
          keys: [
            { key: ok.key },
            { key: "0123456789ABCDEF" },
            { key: "FEDCBA9876543210", from: "2027-01-01T00:00:00Z" },
          ],
        },
      ]),
      "TENANTS[0].keys: 3 keys are valid at 2027-01-01T00:00:00.000Z (keys 0, 1, 2); at most 2 may overlap",
    ],
    [
      "the same key twice",
      JSON.stringify([
        {
          ...ok,
          key: undefined,
          keys: [
            { key: ok.key, until: "2027-01-01T00:00:00Z" },
            { key: ok.key, from: "2026-12-01T00:00:00Z" },
          ],
        },
      ]),
      "TENANTS[0].keys[1] repeats an earlier key",
    ],
    // Issue 10 item 12: refused at load time, not by every request afterwards.
    [
      "a CIDR prefix past 32",
      JSON.stringify([{ ...ok, clientIps: ["10.0.0.0/33"] }]),
      'TENANTS[0].clientIps[0]: "10.0.0.0/33" is not an IP or CIDR (an IPv4 prefix is /0 to /32)',
    ],
    [
      "an IPv6 prefix past 128",
      JSON.stringify([{ ...ok, clientIps: ["192.168.1.1", "2001:db8::/129"] }]),
      'TENANTS[0].clientIps[1]: "2001:db8::/129" is not an IP or CIDR (an IPv6 prefix is /0 to /128)',
    ],
    [
      "not an address",
      JSON.stringify([{ ...ok, clientIps: ["10.0.0.256"] }]),
      'TENANTS[0].clientIps[0]: "10.0.0.256" is not an IP or CIDR',
    ],
    [
      "a hisUrl with a query",
      JSON.stringify([{ ...ok, hisUrl: "https://his.example/api?tenant=1" }]),
      "TENANTS[0].hisUrl must not have a query (?…) or fragment (#…): paths are appended to it",
    ],
    [
      "a hisUrl with a fragment",
      JSON.stringify([{ ...ok, hisUrl: "https://his.example/api#x" }]),
      "TENANTS[0].hisUrl must not have a query (?…) or fragment (#…): paths are appended to it",
    ],
    [
      "a platformUrl with a query",
      JSON.stringify([{ ...ok, platformUrl: "https://platform.example/wd/api?x=1" }]),
      "TENANTS[0].platformUrl must not have a query (?…) or fragment (#…)",
    ],
    [
      "an invalid header name",
      JSON.stringify([{ ...ok, hisHeaders: { "CF Access Client Id": "x" } }]),
      'TENANTS[0].hisHeaders: "CF Access Client Id" is not a valid header name',
    ],
    [
      "a CR/LF in a header value (the value is a secret: not repeated)",
      JSON.stringify([{ ...ok, hisHeaders: { Authorization: "Bearer abc\r\nX-Injected: 1" } }]),
      "TENANTS[0].hisHeaders.Authorization holds a CR, LF or NUL",
    ],
    [
      "rateLimit period",
      JSON.stringify([{ ...ok, rateLimit: { requests: 5, periodSeconds: 30 } }]),
      "TENANTS[0].rateLimit.periodSeconds must be 10 or 60",
    ],
    [
      "rateLimit requests",
      JSON.stringify([{ ...ok, rateLimit: { requests: 0, periodSeconds: 10 } }]),
      "TENANTS[0].rateLimit.requests must be a positive integer",
    ],
    ["duplicate tenant", JSON.stringify([ok, ok]), "TENANTS[1]: partner TEST_WX with hospitalCode 0 appears twice"],
    [
      "shared hisToken",
      JSON.stringify([
        { ...ok, hisToken: "t" },
        { ...ok, hospitalCode: "1", hisToken: "t" },
      ]),
      "TENANTS[1].hisToken is used by another tenant",
    ],
    [
      "bad platformFormat",
      JSON.stringify([{ ...ok, platformFormat: "soap" }]),
      'TENANTS[0].platformFormat must be "json" or "xml"',
    ],
    [
      "alerts without a webhook",
      JSON.stringify([{ ...ok, alerts: {} }]),
      "TENANTS[0].alerts.webhook must be an http(s) URL",
    ],
    [
      "alerts rate as a percentage",
      JSON.stringify([{ ...ok, alerts: { webhook: "https://qyapi.weixin.qq.com/x", rate: 20 } }]),
      "TENANTS[0].alerts.rate must be a number above 0 and at most 1",
    ],
    [
      "alerts unknown setting",
      JSON.stringify([{ ...ok, alerts: { webhook: "https://oapi.dingtalk.com/x", window: 5 } }]),
      "TENANTS[0].alerts.window is not a known setting",
    ],
  ])("%s", (_name, json, message) => {
    expect(() => parseTenants(json)).toThrow(ConfigError);
    expect(() => parseTenants(json)).toThrow(message);
  });
});
