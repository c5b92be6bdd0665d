// TENANTS: a bad configuration fails loudly, with the exact setting and what is wrong.
import { describe, expect, it } from "vitest";
import { ConfigError, parseTenants } from "../../worker/src/config/tenants.js";

const ok = { partner: "TEST_WX", hospitalCode: "0", key: "2098D32C4D1399EC", hisUrl: "https://his.example/api" };

describe("TENANTS", () => {
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
  ])("%s", (_name, json, message) => {
    expect(() => parseTenants(json)).toThrow(ConfigError);
    expect(() => parseTenants(json)).toThrow(message);
  });
});
