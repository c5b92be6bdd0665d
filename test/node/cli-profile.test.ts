// `hisgate profile test|show`, run as a child process through the launcher as `npx hisgate` runs it.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hisgate, root } from "../support/cli.js";

const EXAMPLES = join(root, "profiles/demo-legacy/examples");

describe("hisgate profile", () => {
  it("test replays the demo-legacy profile's own examples, both ways", async () => {
    const run = await hisgate(["profile", "test", "demo-legacy"]);
    expect(run.stderr).toBe("");
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/^demo-legacy: \d+ examples/);
    expect(run.stdout).toContain("ok    GetScheduleInfo.flat-rows.json");
    expect(run.stdout).toMatch(/all \d+ passed/);
  });

  it("a failing example prints a field-level diff for each difference, and exits 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hisgate-profile-"));
    const example = JSON.parse(readFileSync(join(EXAMPLES, "GetScheduleInfo.flat-rows.json"), "utf8"));
    example.request.his.body.begin_time = 1714406400;
    example.answer.standard.data.schedule[0].date[0].noon[0].registerFee = 1000;
    writeFileSync(join(dir, "GetScheduleInfo.changed.json"), JSON.stringify(example));
    copyFileSync(join(EXAMPLES, "TestNet.ping.json"), join(dir, "TestNet.ping.json"));
    const run = await hisgate(["profile", "test", "demo-legacy", "--examples", dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("FAIL  GetScheduleInfo.changed.json");
    expect(run.stdout).toContain("request.body.begin_time: want 1714406400, got 1714492800");
    expect(run.stdout).toContain("answer.data.schedule[0].date[0].noon[0].registerFee: want 1000, got 100");
    expect(run.stdout).toContain("ok    TestNet.ping.json");
    expect(run.stdout).toContain("1 of 2 failed");
  });

  it("show prints the effective mapping of one service: defaults merged, rules as written", async () => {
    const run = await hisgate(["profile", "show", "demo-legacy", "GetDepartmentInfo"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("profile: demo-legacy");
    expect(run.stdout).toContain("path: /his/xml/QueryDept");
    expect(run.stdout).toContain("body: xml");
    expect(run.stdout).toContain("method: POST");
    expect(run.stdout).toMatch(/success:\s+path: STATE\s+range:\s+min: 1/);
    expect(run.stdout).not.toContain("GetDoctorInfo");
  });

  it("an unknown profile or service is one line on stderr, exit 2", async () => {
    const none = await hisgate(["profile", "test", "no-such"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^hisgate: profile: no profile no-such \(profiles\/: demo-legacy\)\n$/);
    const svc = await hisgate(["profile", "show", "demo-legacy", "RefundByHis"]);
    expect(svc.code).toBe(2);
    expect(svc.stderr).toContain("demo-legacy does not map RefundByHis");
  });
});
