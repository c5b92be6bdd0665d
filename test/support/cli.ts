// `hisgate <args>` in a child process, through the launcher as `npx hisgate` runs it, with the Node running the
// tests (the project's Node 22). The caller's own HISGATE_* settings are left out: a test states what it sets.
import { spawn } from "node:child_process";
import { join } from "node:path";

export const root = join(import.meta.dirname, "../..");
export const LAUNCHER = join(root, "cli/hisgate.mjs");

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function hisgate(args: string[], input = "", env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("HISGATE_")));
    const child = spawn(process.execPath, [LAUNCHER, ...args], { cwd: root, env: { ...base, NO_COLOR: "1", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}
