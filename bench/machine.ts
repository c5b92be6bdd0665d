import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, totalmem } from "node:os";

export interface Machine {
  nproc: number;
  cpu: string;
  memGiB: number;
  node: string;
  platform: string;
  /** The commit measured, and how many paths differed from it (work in progress is measured as it stood). */
  git: { commit: string; changedPaths: number } | null;
}

function git(): Machine["git"] {
  try {
    const run = (...args: string[]) =>
      execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    return {
      commit: run("rev-parse", "--short", "HEAD").trim(),
      changedPaths: run("status", "--porcelain").split("\n").filter(Boolean).length,
    };
  } catch {
    return null;
  }
}

/** The machine the figures were taken on: they are only comparable within one run on one machine. */
export function machine(): Machine {
  let cpu = "unknown";
  try {
    cpu = /^model name\s*:\s*(.*)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1]?.trim() ?? cpu;
  } catch {
    // not Linux
  }
  return {
    nproc: availableParallelism(),
    cpu,
    memGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    git: git(),
  };
}

/** Fixed-width text table. */
export function table(head: string[], rows: (string | number)[][]): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => [...(r[i] ?? "")].length)));
  const line = (r: string[]) => r.map((c, i) => c + " ".repeat(widths[i]! - [...c].length)).join("  ");
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join("\n");
}

export const fmt = (n: number, digits = 2): string =>
  !Number.isFinite(n) ? "n/a" : n >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(digits);

/** Writes a results file formatted as `npm run format:check` expects (results files are committed). */
export async function writeResults(url: URL, value: unknown): Promise<void> {
  const { format } = await import("prettier");
  writeFileSync(url, await format(JSON.stringify(value), { parser: "json" }));
}
