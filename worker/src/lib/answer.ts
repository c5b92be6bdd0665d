/** Default cap on an HIS or platform answer (MAX_ANSWER_BYTES): far above the largest reply the standard needs. */
export const DEFAULT_MAX_ANSWER_BYTES = 8 * 1024 * 1024;

/** The answer's body went past the cap; nothing more of it was read. */
export class AnswerTooLarge extends Error {
  override name = "AnswerTooLarge";
  constructor(readonly maxBytes: number) {
    super(`the answer exceeds ${maxBytes} bytes`);
  }
}

export function maxAnswerBytes(value: string | undefined): number {
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : DEFAULT_MAX_ANSWER_BYTES;
}

const decoder = new TextDecoder("utf-8");

/**
 * Reads an answer's body as text, chunk by chunk, and stops at maxBytes: an upstream that sends more (or never
 * stops) costs at most maxBytes of memory, never the isolate. A Content-Length above the cap is refused unread.
 */
export async function readAnswer(res: Response, maxBytes: number): Promise<string> {
  const declared = Number(res.headers.get("content-length") ?? "");
  if (declared > maxBytes) {
    await res.body?.cancel().catch(() => {});
    throw new AnswerTooLarge(maxBytes);
  }
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new AnswerTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return decoder.decode(chunks[0]);
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return decoder.decode(all);
}
