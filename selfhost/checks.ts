// What serve checks before it starts workerd, so that bad input ends with one line saying what to fix rather than a
// server that starts and then answers SYSTEM_ERROR (or a stack trace).
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { jsonErrorPlace } from "../worker/src/config/schema.js";
import { parseTenants } from "../worker/src/config/tenants.js";

/** Bad input to serve: printed as one line, exit 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

const reason = (e: unknown) => {
  const err = e as NodeJS.ErrnoException;
  return err.code ? `${err.code}${err.syscall ? ` (${err.syscall})` : ""}` : err.message;
};

/** The tenants file: readable, JSON, and valid by the gateway's own TENANTS rules. Returns how many tenants. */
export function checkTenantsFile(file: string): number {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`--tenants ${file}: cannot read it: ${reason(e)}`);
  }
  try {
    JSON.parse(text);
  } catch (e) {
    // V8 quotes the text around the error; the file holds keys, so only the position is said.
    throw new UsageError(`--tenants ${file}: not JSON${jsonErrorPlace(e)}`);
  }
  let count: number;
  try {
    count = parseTenants(text).all.length;
  } catch (e) {
    throw new UsageError(`--tenants ${file}: ${(e as Error).message}`);
  }
  if (count === 0) throw new UsageError(`--tenants ${file}: no tenants in it`);
  return count;
}

/** The data directory exists or can be made, and a file in it can be written and synced. */
export function checkDataDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    const probe = join(dir, `.hisgate-write-test-${process.pid}`);
    const fd = openSync(probe, "w");
    try {
      writeSync(fd, "ok");
      fsyncSync(fd);
    } finally {
      closeSync(fd);
      unlinkSync(probe);
    }
  } catch (e) {
    throw new UsageError(`--data ${dir}: not a writable directory: ${reason(e)}`);
  }
}

/** Nothing listens on host:port yet (workerd binds with SO_REUSEPORT, so it would not always notice). */
export function checkPortFree(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", (e: NodeJS.ErrnoException) =>
      reject(
        new UsageError(
          e.code === "EADDRINUSE"
            ? `--port ${port}: already in use on ${host}`
            : `--host ${host} --port ${port}: cannot listen there: ${reason(e)}`,
        ),
      ),
    );
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve()));
  });
}
