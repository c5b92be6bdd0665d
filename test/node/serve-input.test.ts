// Bad input to `npm run serve` ends with one clear line on stderr and a non-zero exit: never a stack trace, never a
// server that starts and then answers SYSTEM_ERROR. (Each case fails before a build is needed: --dist is not read.)
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startServe } from "../support/serve.js";

const dir = mkdtempSync(join(tmpdir(), "hisgate-serve-input-"));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const goodTenants = file(
  "tenants.json",
  JSON.stringify([{ partner: "TEST_WX", hospitalCode: "0", key: "2098D32C4D1399EC", hisUrl: "http://10.0.0.9/his" }]),
);
const data = join(dir, "data");

async function refused(args: string[]): Promise<{ code: number | null; line: string; stdout: number }> {
  const run = startServe([...args, "--dist", join(dir, "no-dist")]);
  const { code } = await run.exited;
  const lines = run.stderr().split("\n").filter(Boolean);
  expect(lines, run.stderr()).toHaveLength(1);
  expect(run.stderr()).not.toMatch(/^\s+at /m);
  expect(lines[0]).toMatch(/^hisgate serve: /);
  return { code, line: lines[0]!, stdout: run.lines.length };
}

let busy: Server | undefined;
afterAll(() => busy?.close());

describe("serve refuses bad input in one line", () => {
  it("a tenants file that does not exist", async () => {
    const r = await refused(["--tenants", join(dir, "missing.json"), "--data", data, "--port", "0"]);
    expect(r.code).toBe(2);
    expect(r.line).toContain("missing.json: cannot read it: ENOENT");
    expect(r.stdout).toBe(0);
  });

  it("a tenants file that is not JSON", async () => {
    const r = await refused(["--tenants", file("broken.json", '[{"partner": '), "--data", data, "--port", "0"]);
    expect(r.code).toBe(2);
    expect(r.line).toContain("broken.json: not JSON");
  });

  it("a tenants file the gateway would refuse: the field is named, the key is not echoed", async () => {
    const bad = file(
      "bad-url.json",
      JSON.stringify([{ partner: "P", hospitalCode: "1", key: "2098D32C4D1399EC", hisUrl: "ftp://his" }]),
    );
    const r = await refused(["--tenants", bad, "--data", data, "--port", "0"]);
    expect(r.code).toBe(2);
    expect(r.line).toContain("TENANTS[0].hisUrl must be an http(s) URL");
    expect(r.line).not.toContain("2098D32C4D1399EC");
  });

  it("an empty tenants list", async () => {
    const r = await refused(["--tenants", file("empty.json", "[]"), "--data", data, "--port", "0"]);
    expect(r.code).toBe(2);
    expect(r.line).toContain("empty.json");
  });

  it("a data directory that cannot be written (a path under a regular file, whoever runs the test)", async () => {
    const r = await refused(["--tenants", goodTenants, "--data", join(goodTenants, "state"), "--port", "0"]);
    expect(r.code).toBe(2);
    expect(r.line).toMatch(/--data .*tenants\.json\/state: not a writable directory: ENOTDIR/);
  });

  it("a port already in use", async () => {
    busy = createServer();
    const port = await new Promise<number>((resolve) =>
      busy!.listen(0, "127.0.0.1", () => resolve((busy!.address() as { port: number }).port)),
    );
    const r = await refused(["--tenants", goodTenants, "--data", data, "--port", String(port)]);
    expect(r.code).toBe(2);
    expect(r.line).toContain(`--port ${port}: already in use on 127.0.0.1`);
  });

  it("missing --tenants, an unknown option, a bad port, a --var without a value in the environment", async () => {
    expect((await refused(["--data", data])).line).toContain("--tenants <file> is required");
    expect((await refused(["--tenants", goodTenants, "--data", data, "--bogus"])).line).toContain("--bogus");
    expect((await refused(["--tenants", goodTenants, "--data", data, "--port", "99999"])).line).toContain(
      "--port 99999: not a port number",
    );
    expect(
      (await refused(["--tenants", goodTenants, "--data", data, "--port", "0", "--var", "HISGATE_TEST_UNSET_VAR"]))
        .line,
    ).toContain("--var HISGATE_TEST_UNSET_VAR: not set in the environment");
  });

  it("a --dist without a build in it", async () => {
    const r = await refused(["--tenants", goodTenants, "--data", data, "--port", "0"]);
    expect(r.code).toBe(2);
    expect(r.line).toContain("no hisgate.json in it (run npm run build)");
  });
});
