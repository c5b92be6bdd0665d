// Tenants known to the worker project's bindings (vitest.config.ts), shared by the Durable Objects' own env and
// by the tests that talk to them. HIS_STUB is test/support/his-stub.ts, running in Node; LEGACY_HIS_STUB is KY-HIS
// (test/support/legacy-his-stub.ts), reached through the demo-legacy profile.
export const STUB_KEY = "2098D32C4D1399EC";

export const CONFIG_TENANTS = [
  {
    partner: "TEST_WX",
    hospitalCode: "0",
    key: STUB_KEY,
    hisService: "HIS_STUB",
    hisToken: "his-token-0",
    hisTimeoutMs: 2000,
  },
  {
    partner: "TEST_WX",
    hospitalCode: "7001",
    key: STUB_KEY,
    hisService: "HIS_STUB",
    hisToken: "his-token-7001",
    hisTimeoutMs: 2000,
  },
  {
    partner: "TEST_WX",
    hospitalCode: "7002",
    key: STUB_KEY,
    hisService: "HIS_STUB",
    hisToken: "his-token-7002",
    hisTimeoutMs: 2000,
  },
  {
    partner: "TEST_WX",
    hospitalCode: "7003",
    key: STUB_KEY,
    hisService: "HIS_STUB",
    hisToken: "his-token-7003",
    hisTimeoutMs: 2000,
  },
  {
    partner: "TEST_WX",
    hospitalCode: "7004",
    key: STUB_KEY,
    hisService: "LEGACY_HIS_STUB",
    hisProfile: "demo-legacy",
    hisHeaders: { "X-Api-Key": "demo-legacy-key" },
    hisToken: "his-token-7004",
    hisTimeoutMs: 2000,
  },
];
