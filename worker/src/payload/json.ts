export class JsonError extends Error {
  override name = "JsonError";
}

const FORBIDDEN_KEY = /"(?:__proto__|constructor|prototype)"\s*:/;
// A trailing comma before } or ], outside strings: the platform sends {"ip":"127.0.0.1",} (seed §4.2.3).
const TRAILING_COMMA = /("(?:[^"\\]|\\.)*")|,(\s*[}\]])/g;

/** JSON.parse, with a tolerant retry for trailing commas; prototype keys are refused. */
export function parseJson(text: string): unknown {
  if (FORBIDDEN_KEY.test(text)) throw new JsonError("forbidden key (__proto__, constructor or prototype)");
  try {
    return JSON.parse(text);
  } catch {
    try {
      return JSON.parse(
        text.replace(TRAILING_COMMA, (_m, str: string | undefined, close: string | undefined) => str ?? close!),
      );
    } catch (err) {
      throw new JsonError(err instanceof Error ? err.message : "malformed JSON");
    }
  }
}
