import { readFile } from "node:fs/promises";
import { usage } from "./errors.js";

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

function decode(bytes: Uint8Array, what: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw usage(`${what} is not UTF-8 (the standard's inputCharset is utf-8)`);
  }
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return decode(Buffer.concat(chunks), "stdin");
}

/** A file's text, or stdin for "-". `what` names it in errors ("envelope file", "payload file"). */
export async function readSource(source: string, what: string): Promise<string> {
  if (source === "-") return readStdin();
  let bytes: Buffer;
  try {
    bytes = await readFile(source);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "it is a directory"
          : code === "EACCES"
            ? "permission denied"
            : (code ?? "unreadable");
    throw usage(`cannot read ${what} ${source}: ${reason}`);
  }
  return decode(bytes, `${what} ${source}`);
}

/** Stdin when something is piped in, undefined when it is a terminal. */
export async function pipedStdin(): Promise<string | undefined> {
  return process.stdin.isTTY ? undefined : readStdin();
}
