// `hisgate tenants`: keygen, import (validated as the Worker validates TENANTS, written through wrangler into a
// local KV state directory) and list (no secrets). The written records are then opened with the Worker's own
// reader, which is what proves the Worker can use them.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseTenant } from "../../worker/src/config/tenants.js";
import { open, registryKeys } from "../../worker/src/registry/seal.js";
import { hisgate, root } from "../support/cli.js";

const work = mkdtempSync(join(tmpdir(), "hisgate-tenants-"));
const MASTER = Buffer.alloc(32, 3).toString("base64");

const TENANTS = [
  {
    partner: "TEST_WX",
    hospitalCode: "0",
    key: "2098D32C4D1399EC",
    hisUrl: "https://his.example/api",
    hisToken: "secret-token-0",
    hisHeaders: { "CF-Access-Client-Secret": "access-secret" },
    rateLimit: { requests: 50, periodSeconds: 10 },
  },
  {
    partner: "TEST_WX",
    hospitalCode: "43010001",
    keys: [
      { key: "2098D32C4D1399EC", until: "2026-12-31T00:00:00+08:00" },
      { key: "0123456789ABCDEF", from: "2026-12-20T00:00:00+08:00" },
    ],
    hisService: "HIS",
    services: ["TestNet", "Pay"],
  },
];
const file = (name: string, value: unknown) => {
  const path = join(work, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
};

describe("hisgate tenants", () => {
  it("keygen prints a fresh 32-byte master secret", async () => {
    const a = await hisgate(["tenants", "keygen"]);
    const b = await hisgate(["tenants", "keygen"]);
    expect(a.code).toBe(0);
    expect(Buffer.from(a.stdout.trim(), "base64")).toHaveLength(32);
    expect(a.stdout).not.toBe(b.stdout);
  });

  it("import refuses an invalid file in one line, naming the setting, and writes nothing", async () => {
    const bad = file("bad.json", [{ ...TENANTS[0], rateLimit: { requests: 5, periodSeconds: 30 } }]);
    const run = await hisgate(["tenants", "import", bad, "--dry-run"], "", { HISGATE_MASTER_KEY: MASTER });
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      `hisgate: tenants import: ${bad}: TENANTS[0].rateLimit.periodSeconds must be 10 or 60`,
    );
    const noMaster = await hisgate(["tenants", "import", file("ok.json", TENANTS)]);
    expect(noMaster.code).toBe(2);
    expect(noMaster.stderr).toContain("set HISGATE_MASTER_KEY");
  });

  it("import writes sealed records the Worker's reader opens; list shows them without secrets", async () => {
    const state = join(work, "state");
    const imported = await hisgate(["tenants", "import", file("tenants.json", TENANTS), "--persist-to", state], "", {
      HISGATE_MASTER_KEY: MASTER,
    });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain("imported 2 tenants (1 token index entries) into TENANT_REGISTRY (local)");

    const list = await hisgate(["tenants", "list", "--persist-to", state]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/TEST_WX\s+0\s+https:\/\/his\.example\/api\s+1\s+yes\s+50\/10s\s+all/);
    expect(list.stdout).toMatch(/TEST_WX\s+43010001\s+service:HIS\s+2\s+no\s+2/);
    for (const secret of ["2098D32C4D1399EC", "0123456789ABCDEF", "secret-token-0", "access-secret"])
      expect(list.stdout).not.toContain(secret);

    const name = "tenant/TEST_WX/43010001";
    const got = spawnSync(
      "npx",
      [
        "wrangler",
        "kv",
        "key",
        "get",
        name,
        "--binding",
        "TENANT_REGISTRY",
        "--local",
        "--persist-to",
        state,
        "--text",
      ],
      { cwd: root, encoding: "utf8" },
    );
    const text = got.stdout.slice(got.stdout.indexOf("{"));
    expect(text).not.toContain("0123456789ABCDEF");
    const tenant = parseTenant(await open(await registryKeys(MASTER), name, text.trim()), name);
    expect(tenant.keys.map((k) => k.key)).toEqual(["2098D32C4D1399EC", "0123456789ABCDEF"]);
    await expect(open(await registryKeys(Buffer.alloc(32, 4).toString("base64")), name, text.trim())).rejects.toThrow(
      /integrity check/,
    );

    const removed = await hisgate(["tenants", "remove", "TEST_WX", "43010001", "--persist-to", state]);
    expect(removed.code, removed.stderr).toBe(0);
    const after = await hisgate(["tenants", "list", "--persist-to", state]);
    expect(after.stdout).not.toContain("43010001");
    expect(after.stdout).toContain("1 tenants");
    const again = await hisgate(["tenants", "remove", "TEST_WX", "43010001", "--persist-to", state]);
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe("hisgate: tenants remove: no tenant TEST_WX 43010001 in the registry");
  }, 180_000);
});
