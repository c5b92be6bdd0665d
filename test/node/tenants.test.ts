// TENANTS: a bad configuration fails loudly, with the exact setting and what is wrong.
import { describe, expect, it, vi } from "vitest";
import { services } from "../../generated/registry.js";
import { currentKey, keysValidAt } from "../../worker/src/config/keys.js";
import { ConfigError, loadTenants, parseTenants } from "../../worker/src/config/tenants.js";

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
    ["unset", undefined, "TENANTS is not set (a JSON array; see README, Configuration)"],
    ["not JSON", "[{", "TENANTS is not valid JSON (position 2)"],
    ["empty", "[]", "TENANTS must be a non-empty JSON array"],
    ["an object, not an array", "{}", "TENANTS must be a non-empty JSON array"],
    ["an entry that is not an object", "[[]]", "TENANTS[0] must be an object"],
    ["missing partner", JSON.stringify([{ ...ok, partner: undefined }]), "TENANTS[0].partner is required"],
    ["missing hisUrl and hisService", JSON.stringify([{ ...ok, hisUrl: undefined }]), "TENANTS[0].hisUrl is required"],
    ["hisUrl not http(s)", JSON.stringify([{ ...ok, hisUrl: "ftp://x" }]), "TENANTS[0].hisUrl must be an http(s) URL"],
    ["unknown setting", JSON.stringify([{ ...ok, hisURL: "x" }]), "TENANTS[0].hisURL is not a known setting"],
    [
      "unknown service",
      JSON.stringify([{ ...ok, services: ["Pay", "Pey"] }]),
      `TENANTS[0].services: unknown service "Pey" (known: ${services.map((s) => s.name).join(", ")})`,
    ],
    [
      "bad timeout",
      JSON.stringify([{ ...ok, hisTimeoutMs: -1 }]),
      "TENANTS[0].hisTimeoutMs must be a positive integer",
    ],
    [
      "bad route",
      JSON.stringify([{ ...ok, routes: { Pay: { method: "DELETE", path: "/x" } } }]),
      'TENANTS[0].routes.Pay must be {"method": "POST"|"PUT"|"GET", "path": "/..."}',
    ],
    [
      "a route with a misspelt setting (it would be POST silently)",
      JSON.stringify([{ ...ok, routes: { Pay: { metod: "GET", path: "/x" } } }]),
      'TENANTS[0].routes.Pay must be {"method": "POST"|"PUT"|"GET", "path": "/..."}',
    ],
    [
      "a route for an unknown service",
      JSON.stringify([{ ...ok, routes: { Pey: { path: "/x" } } }]),
      'TENANTS[0].routes: unknown service "Pey"',
    ],
    [
      "bad headers",
      JSON.stringify([{ ...ok, hisHeaders: { a: 1 } }]),
      "TENANTS[0].hisHeaders must be an object of header strings",
    ],
    ["key and keys", JSON.stringify([{ ...ok, keys: [{ key: ok.key }] }]), "TENANTS[0]: give key or keys, not both"],
    ["no key", JSON.stringify([{ ...ok, key: undefined }]), "TENANTS[0].key (or keys) is required"],
    [
      "keys empty",
      JSON.stringify([{ ...ok, key: undefined, keys: [] }]),
      'TENANTS[0].keys must be a non-empty array of {"key", "from"?, "until"?}',
    ],
    [
      "an instant without offset",
      JSON.stringify([{ ...ok, key: undefined, keys: [{ key: ok.key, from: "2026-12-20T00:00:00" }] }]),
      'TENANTS[0].keys[0].from must be an ISO 8601 instant with an offset, e.g. "2026-12-20T00:00:00+08:00"',
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
      "TENANTS[0].platformUrl must not have a query (?…) or fragment (#…): paths are appended to it",
    ],
    [
      "a hisToken no bearer header can carry",
      JSON.stringify([{ ...ok, hisToken: "his token" }]),
      "TENANTS[0].hisToken must be made of letters, digits and -._~+/ (a bearer token), with = only at the end",
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
      "TENANTS[0].alerts.rate must be a number above 0 and at most 1 (0.2 is 20 %)",
    ],
    [
      "alerts unknown setting",
      JSON.stringify([{ ...ok, alerts: { webhook: "https://oapi.dingtalk.com/x", window: 5 } }]),
      "TENANTS[0].alerts.window is not a known setting",
    ],
    [
      "rateLimit without its period",
      JSON.stringify([{ ...ok, rateLimit: { requests: 5 } }]),
      "TENANTS[0].rateLimit.periodSeconds must be 10 or 60",
    ],
    [
      "a keys entry with its own typo",
      JSON.stringify([{ ...ok, key: undefined, keys: [{ key: ok.key, untill: "2027-01-01T00:00:00Z" }] }]),
      "TENANTS[0].keys[0].untill is not a known setting",
    ],
  ])("%s", (_name, json, message) => {
    expect(() => parseTenants(json)).toThrow(ConfigError);
    // The whole message: the setting's path and what it must be, nothing else.
    expect(() => parseTenants(json)).toThrow(new ConfigError(message));
  });

  it("TENANTS that is not JSON is refused by place only: V8 quotes the text around the error, and it holds keys", () => {
    const json = '[{"partner": "TEST_WX", "hospitalCode": "0", "key": K2098D32C4D1399E}]';
    let thrown: unknown;
    try {
      JSON.parse(json);
    } catch (err) {
      thrown = err;
    }
    // The premise: the runtime's own message would repeat the key.
    expect(String(thrown)).toMatch(/2098D32C/);
    expect(() => parseTenants(json)).toThrow(new ConfigError("TENANTS is not valid JSON"));
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      expect(() => loadTenants(`${json} `)).toThrow(ConfigError);
      expect(logged).toHaveBeenCalledTimes(1);
      expect(logged.mock.calls[0]![0]).toContain('"event":"config.invalid"');
      expect(logged.mock.calls[0]![0]).not.toMatch(/D32C/);
    } finally {
      logged.mockRestore();
    }
  });

  it.each([
    ["a key of the wrong type", { ...ok, key: ["S3cr3tKeyS3cr3t!"] }, "TENANTS[0].key must be a non-empty string"],
    [
      "a rotated key of the wrong type",
      { ...ok, key: undefined, keys: [{ key: { k: "S3cr3tKeyS3cr3t!" } }] },
      "TENANTS[0].keys[0].key must be a non-empty string",
    ],
    [
      "a hisToken with a space",
      { ...ok, hisToken: "S3cr3t S3cr3t" },
      "TENANTS[0].hisToken must be made of letters, digits and -._~+/ (a bearer token), with = only at the end",
    ],
    [
      "a header value of the wrong type",
      { ...ok, hisHeaders: { "CF-Access-Client-Secret": ["S3cr3t"] } },
      "TENANTS[0].hisHeaders must be an object of header strings",
    ],
    [
      "an alert webhook that is no URL (its key= is a secret)",
      { ...ok, alerts: { webhook: "qyapi.weixin.qq.com/send?key=S3cr3t" } },
      "TENANTS[0].alerts.webhook must be an http(s) URL",
    ],
  ])("a secret is never repeated in a refusal: %s", (_name, entry, message) => {
    const json = JSON.stringify([entry]);
    expect(() => parseTenants(json)).toThrow(new ConfigError(message));
  });
});
