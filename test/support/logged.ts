// What the worker writes to the console while a test runs: for asserting that no payload text reaches a log line.
import { vi } from "vitest";

/** Every console line the worker writes during fn (the caller restores the mocks, vi.restoreAllMocks). */
export async function logged(fn: () => Promise<unknown>): Promise<string> {
  const lines: string[] = [];
  for (const level of ["log", "info", "warn", "error", "debug"] as const)
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
  await fn();
  return lines.join("\n");
}
