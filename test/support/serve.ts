// Drives `npm run serve` (selfhost/serve.ts) as a child process, and a mock HIS on loopback, for the node tests of
// the self-hosted gateway. Everything waits on events or polls with generous bounds, never on wall-clock guesses.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../..", import.meta.url));

/** Polls `check` until it returns a value (not undefined), or fails after `timeoutMs` with `what`. */
export async function until<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${last})` : ""}`);
}

export interface ServeRun {
  child: ChildProcess;
  /** Every stdout line so far, parsed when it is JSON. */
  lines: Record<string, unknown>[];
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The serve.listening line (resolved when workerd listens; rejected if serve exits first). */
  listening: Promise<{ url: string; port: number; workerdPid: number }>;
}

/** Starts selfhost/serve.ts with these arguments (no npm in between, so signals reach serve itself). */
export function startServe(args: string[], env: NodeJS.ProcessEnv = {}): ServeRun {
  const child = spawn(process.execPath, ["--import", "tsx", "selfhost/serve.ts", ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: Record<string, unknown>[] = [];
  let err = "";
  let buffered = "";
  let onListen: ((v: { url: string; port: number; workerdPid: number }) => void) | undefined;
  child.stdout!.on("data", (d: Buffer) => {
    buffered += d.toString();
    const parts = buffered.split("\n");
    buffered = parts.pop()!;
    for (const line of parts) {
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(line) as Record<string, unknown>;
      } catch {
        parsed = { notJson: line };
      }
      lines.push(parsed);
      if (parsed.event === "serve.listening") onListen?.(parsed as never);
    }
  });
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const listening = new Promise<{ url: string; port: number; workerdPid: number }>((resolve, reject) => {
    onListen = resolve;
    void exited.then(({ code, signal }) =>
      reject(new Error(`serve exited (${code ?? signal}) before listening:\n${err}\n${JSON.stringify(lines)}`)),
    );
  });
  listening.catch(() => {});
  return { child, lines, stderr: () => err, exited, listening };
}

export interface HisCall {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** A mock HIS: answers by service (the last path segment), records every call; `down()` closes its port. */
export class MockHis {
  calls: HisCall[] = [];
  port = 0;
  private server: Server | undefined;

  constructor(private readonly answer: (service: string, body: Record<string, unknown>) => unknown) {}

  async up(): Promise<void> {
    const server = createServer((req, res) => {
      let text = "";
      req.on("data", (d: Buffer) => (text += d.toString()));
      req.on("end", async () => {
        const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
        const service = (req.url ?? "").split("?")[0]!.split("/").pop()!;
        this.calls.push({ path: req.url ?? "", headers: req.headers, body });
        const answer = await this.answer(service, body);
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Refuses connections from now on: the HIS is down. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  callsTo(service: string): HisCall[] {
    return this.calls.filter((c) => c.path.split("?")[0]!.endsWith(`/${service}`));
  }
}
