// The gateway under `wrangler dev` for the browser tests: one way to start it on free ports, wait for it, stop it.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
export const out = fileURLToPath(new URL("./out/", import.meta.url));

export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface WranglerDev {
  base: string;
  process: ChildProcess;
}

/** Starts the gateway with these TENANTS (state and log under out/<name>) and resolves once /healthz answers. */
export async function startWranglerDev(name: string, tenants: unknown): Promise<WranglerDev> {
  mkdirSync(out, { recursive: true });
  const envFile = `${out}${name}.env`;
  writeFileSync(envFile, `TENANTS='${JSON.stringify(tenants)}'\n`);
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const base = `http://127.0.0.1:${port}`;
  const logFile = `${out}wrangler-${name}.log`;
  const log = createWriteStream(logFile);
  const state = `${out}wrangler-state-${name}`;
  rmSync(state, { recursive: true, force: true });
  const wrangler = spawn(
    process.execPath,
    [
      `${root}node_modules/wrangler/bin/wrangler.js`,
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--inspector-port",
      String(inspectorPort),
      "--env-file",
      envFile,
      "--persist-to",
      state,
      "--show-interactive-dev-session=false",
      "--log-level",
      "warn",
    ],
    {
      cwd: root,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1", NO_COLOR: "1" },
    },
  );
  wrangler.stdout!.pipe(log);
  wrangler.stderr!.pipe(log);
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (wrangler.exitCode !== null)
      throw new Error(`wrangler dev exited with ${wrangler.exitCode}:\n${readFileSync(logFile, "utf8").slice(-4000)}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) return { base, process: wrangler };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stopWranglerDev(wrangler);
  throw new Error(`wrangler dev did not answer in time:\n${readFileSync(logFile, "utf8").slice(-4000)}`);
}

export async function stopWranglerDev(child: ChildProcess | undefined): Promise<void> {
  if (!child?.pid || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  // wrangler runs workerd as a child: end the process group this test started, by its id.
  process.kill(-child.pid, "SIGTERM");
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  }, 10_000);
  await exited;
  clearTimeout(timer);
}
