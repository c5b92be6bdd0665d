/**
 * A JSON text the gateway refuses. The message says what is wrong and where (line, column and character offset),
 * never the text around it: a payload may hold patient data, and the message reaches the caller and the log.
 */
export class JsonError extends Error {
  override name = "JsonError";
  constructor(
    readonly what: string,
    /** Offset in characters (UTF-16 code units) of the first offending character, when known. */
    readonly offset?: number,
    text?: string,
  ) {
    super(offset === undefined || text === undefined ? what : `${what} at ${where(text, offset)}`);
  }
}

/** "line L, column C (offset O)" for a character offset: lines and columns count from 1. */
export function where(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return `line ${line}, column ${offset - lineStart + 1} (offset ${offset})`;
}

// Own properties with these names are how prototype pollution reaches code that copies or merges objects.
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/**
 * JSON.parse, tolerating the trailing commas the platform sends ({"ip":"127.0.0.1",}, seed §4.2.3). Every outcome
 * takes time linear in the text: the native parse first; only when it fails, one pass of scanJson, which either
 * locates the first error or drops the trailing commas for a second native parse. Keys named __proto__,
 * constructor or prototype are refused as the parser decoded them, so an escaped "\u005f_proto__" is refused too.
 */
export function parseJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const scan = scanJson(text);
    if (scan.error) throw new JsonError(`malformed JSON: ${scan.error.what}`, scan.error.offset, text);
    try {
      value = JSON.parse(scan.text);
    } catch {
      // Unreachable unless scanJson and the native parser disagree; still no parser message (it quotes the text).
      throw new JsonError("malformed JSON");
    }
  }
  const key = forbiddenKey(value);
  if (key !== undefined) throw new JsonError(`forbidden key ${key} (__proto__, constructor and prototype are refused)`);
  return value;
}

/** The first forbidden key anywhere in a parsed value; iterative, so any depth JSON.parse accepts is walked. */
function forbiddenKey(root: unknown): string | undefined {
  if (typeof root !== "object" || root === null) return undefined;
  const stack: object[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (Array.isArray(node)) {
      for (const item of node) if (typeof item === "object" && item !== null) stack.push(item);
      continue;
    }
    for (const [key, item] of Object.entries(node)) {
      if (FORBIDDEN_KEYS.has(key)) return key;
      if (typeof item === "object" && item !== null) stack.push(item);
    }
  }
  return undefined;
}

export type JsonScan =
  { text: string; error?: undefined } | { text?: undefined; error: { what: string; offset: number } };

const enum State {
  /** A value must follow. */
  Value,
  /** After "[": a value or "]". */
  ValueOrClose,
  /** After "{": a property name or "}". */
  KeyOrClose,
  /** After "," in an object: a property name. */
  Key,
  /** After a property name: ":". */
  Colon,
  /** After a value: ",", the closing bracket of the container, or the end of the text. */
  AfterValue,
}

const isWs = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
const isEscape = (c: number): boolean =>
  c === 0x22 || c === 0x5c || c === 0x2f || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74;

// The string and number scanners return the offset past what they read, or a negative number: -1 - the offset of
// the error, whose description they leave here. (Plain functions over locals: the scanner runs at memory speed.)
let failure = "";
const failAt = (what: string, at: number): number => {
  failure = what;
  return -1 - at;
};

/** text[i] is '"': returns the offset past the closing quote. */
function skipString(text: string, i: number): number {
  const n = text.length;
  for (i++; i < n;) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c === 0x5c) {
      const e = text.charCodeAt(i + 1);
      if (e === 0x75) {
        for (let k = 2; k < 6; k++) if (!isHex(text.charCodeAt(i + k))) return failAt("invalid \\u escape", i);
        i += 6;
      } else if (isEscape(e)) i += 2;
      else return failAt("invalid escape", i);
    } else if (c < 0x20) return failAt("control character in a string", i);
    else i++;
  }
  return failAt("unterminated string", n);
}

function skipNumber(text: string, i: number): number {
  const start = i;
  if (text.charCodeAt(i) === 0x2d) i++;
  if (text.charCodeAt(i) === 0x30) i++;
  else if (isDigit(text.charCodeAt(i))) while (isDigit(text.charCodeAt(i))) i++;
  else return failAt("invalid number", start);
  if (text.charCodeAt(i) === 0x2e) {
    i++;
    if (!isDigit(text.charCodeAt(i))) return failAt("invalid number", start);
    while (isDigit(text.charCodeAt(i))) i++;
  }
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    i++;
    const s = text.charCodeAt(i);
    if (s === 0x2b || s === 0x2d) i++;
    if (!isDigit(text.charCodeAt(i))) return failAt("invalid number", start);
    while (isDigit(text.charCodeAt(i))) i++;
  }
  return i;
}

/**
 * One forward pass over a JSON text with the grammar of RFC 8259 plus a trailing comma before "}" or "]". Returns
 * the text with those commas removed, or the first error: what and its offset. No backtracking and no recursion:
 * each character is looked at a bounded number of times, and nesting lives in an explicit stack.
 */
export function scanJson(text: string): JsonScan {
  const n = text.length;
  const closers: number[] = []; // 0x7d "}" or 0x5d "]" per open container
  const drop: number[] = []; // offsets of trailing commas
  let state = State.Value;
  let i = 0;
  const fail = (what: string, at: number): JsonScan => ({
    error: { what: at >= n ? "unexpected end of text" : what, offset: Math.min(at, n) },
  });

  for (;;) {
    while (i < n && isWs(text.charCodeAt(i))) i++;
    const c = text.charCodeAt(i); // NaN past the end
    switch (state) {
      case State.ValueOrClose:
        if (c === 0x5d) {
          closers.pop();
          i++;
          state = State.AfterValue;
          continue;
        }
      // falls through: a value
      case State.Value: {
        if (c === 0x7b) {
          closers.push(0x7d);
          i++;
          state = State.KeyOrClose;
          continue;
        }
        if (c === 0x5b) {
          closers.push(0x5d);
          i++;
          state = State.ValueOrClose;
          continue;
        }
        if (c === 0x22) i = skipString(text, i);
        else if (c === 0x2d || isDigit(c)) i = skipNumber(text, i);
        else {
          const word = c === 0x74 ? "true" : c === 0x66 ? "false" : c === 0x6e ? "null" : undefined;
          if (word === undefined || !text.startsWith(word, i)) return fail("expected a value", i);
          i += word.length;
        }
        if (i < 0) return fail(failure, -1 - i);
        state = State.AfterValue;
        continue;
      }
      case State.KeyOrClose:
        if (c === 0x7d) {
          closers.pop();
          i++;
          state = State.AfterValue;
          continue;
        }
      // falls through: a property name
      case State.Key:
        if (c !== 0x22) return fail("expected a property name in double quotes", i);
        i = skipString(text, i);
        if (i < 0) return fail(failure, -1 - i);
        state = State.Colon;
        continue;
      case State.Colon:
        if (c !== 0x3a) return fail("expected ':' after a property name", i);
        i++;
        state = State.Value;
        continue;
      case State.AfterValue: {
        const closer = closers[closers.length - 1];
        if (closer === undefined) {
          if (i < n) return fail("unexpected text after the JSON value", i);
          if (!drop.length) return { text };
          let out = "";
          let from = 0;
          for (const at of drop) {
            out += text.slice(from, at);
            from = at + 1;
          }
          return { text: out + text.slice(from) };
        }
        if (c === closer) {
          closers.pop();
          i++;
          continue;
        }
        if (c !== 0x2c) return fail(closer === 0x7d ? "expected ',' or '}'" : "expected ',' or ']'", i);
        const comma = i++;
        while (i < n && isWs(text.charCodeAt(i))) i++;
        if (text.charCodeAt(i) === closer) {
          drop.push(comma);
          continue;
        }
        state = closer === 0x7d ? State.Key : State.Value;
        continue;
      }
    }
  }
}
