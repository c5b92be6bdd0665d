// worker/src/payload/json.ts: the one JSON reader for envelopes, payloads, /platform bodies and platform replies.
// The oracle is JSON.parse itself: the tolerant reader must agree with it on every text it accepts, accept the
// trailing commas the platform sends and nothing else, refuse in time linear in the size, and never quote the text.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JsonError, parseJson, scanJson } from "../../worker/src/payload/json.js";

/** JSON.stringify, with a trailing comma (and some whitespace) after the last member wherever `comma` says so. */
function withTrailingCommas(value: unknown, comma: () => boolean): string {
  if (Array.isArray(value)) {
    const items = value.map((v) => withTrailingCommas(v, comma));
    return `[${items.join(",")}${items.length && comma() ? ", \n" : ""}]`;
  }
  if (typeof value === "object" && value !== null) {
    const members = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${withTrailingCommas(v, comma)}`);
    return `{${members.join(",")}${members.length && comma() ? ",\t" : ""}}`;
  }
  return JSON.stringify(value);
}

const SAFE_JSON = fc.jsonValue().filter((v) => !/"(__proto__|constructor|prototype)"/.test(JSON.stringify(v)));

describe("trailing commas", () => {
  it("are dropped before } and ], outside strings only", () => {
    expect(parseJson('{"ip":"127.0.0.1",}')).toEqual({ ip: "127.0.0.1" });
    expect(parseJson('{"a":[1,2,\r\n],"b":{"c":",}",} , }')).toEqual({ a: [1, 2], b: { c: ",}" } });
    expect(parseJson('{"s":"a\\",]"\n,}')).toEqual({ s: 'a",]' });
  });

  it("a value with trailing commas anywhere reads as the value itself (property)", () => {
    fc.assert(
      fc.property(SAFE_JSON, fc.infiniteStream(fc.boolean()), (value, coins) => {
        const it = coins[Symbol.iterator]();
        const text = withTrailingCommas(value, () => it.next().value as boolean);
        expect(parseJson(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ["[,]", 1],
    ["{,}", 1],
    ["[1,,]", 3],
    ['{"a":1,,}', 7],
    ["[1,}", 3],
    ['{"a":1]', 6],
  ])("nothing else is tolerated: %s fails at offset %i", (text, offset) => {
    const err = (() => {
      try {
        parseJson(text);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(JsonError);
    expect((err as JsonError).offset).toBe(offset);
  });

  it("the scanner accepts exactly what JSON.parse accepts, give or take trailing commas (property)", () => {
    const near = SAFE_JSON.chain((v) => {
      const text = JSON.stringify(v);
      return fc
        .tuple(fc.nat(text.length), fc.nat(3), fc.constantFrom(",", "]", "}", '"', "\\", ":", "x", " ", "\u0001", ""))
        .map(([at, cut, insert]) => text.slice(0, at) + insert + text.slice(at + cut));
    });
    fc.assert(
      fc.property(fc.oneof(near, fc.string()), (text) => {
        let native = true;
        try {
          JSON.parse(text);
        } catch {
          native = false;
        }
        const scan = scanJson(text);
        if (native) expect(scan.error).toBeUndefined();
        if (scan.error) return;
        expect(JSON.parse(scan.text)).toBeDefined(); // the commas it drops are all that JSON.parse objected to
      }),
      { numRuns: 2000 },
    );
  });
});

describe("errors say what and where, never the text", () => {
  it("names line, column and offset", () => {
    const text = `{\n  "certificateNo": '610102199001011234'\n}`;
    expect(() => parseJson(text)).toThrow(/^malformed JSON: expected a value at line 2, column 20 \(offset 21\)$/);
  });

  it("no error message holds any of the text (property)", () => {
    // Marker digits that never occur in the fixed wording of a message.
    const secret = "ZQXJ";
    fc.assert(
      fc.property(fc.string(), fc.string(), (before, after) => {
        for (const text of [`${before}${secret}${after}`, `{"id":"${secret}${after}`, `{"id":${secret}}`]) {
          try {
            parseJson(text);
          } catch (err) {
            expect(err).toBeInstanceOf(JsonError);
            expect((err as Error).message).not.toContain(secret);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("forbidden keys are checked as decoded", () => {
  it.each([
    '{"__proto__":{"polluted":1}}',
    '{"\\u005f_proto__":{"polluted":1}}',
    '{"a":[{"b":{"\\u0063onstructor":{}}}]}',
    '{"a":{"prototype":1},}',
  ])("%s is refused", (text) => {
    expect(() => parseJson(text)).toThrow(/forbidden key/);
  });

  it("as values they are plain text", () => {
    expect(parseJson('{"a":"__proto__","b":["constructor"]}')).toEqual({ a: "__proto__", b: ["constructor"] });
  });

  it("any depth JSON.parse takes is walked without recursion", () => {
    const deep = `${'{"a":'.repeat(100_000)}{"\\u005f_proto__":1}${"}".repeat(100_000)}`;
    expect(() => parseJson(deep)).toThrow(/forbidden key/);
  });
});

describe("time linear in the size", () => {
  // Bodies that made the old regex retry quadratic, and others that would hurt a backtracking scanner. No wall-clock
  // threshold: the time for 8n is compared with the time for n in the same run; linear gives ~8, quadratic ~64.
  // n and 8n both fit the CPU's L2 cache (across a cache boundary even JSON.parse looks superlinear on a busy machine);
  // rounds alternate n and 8n and the best of each is kept, so a busy machine slows both alike.
  const shapes: Record<string, (n: number) => string> = {
    "unterminated string of escaped quotes": (n) => `{"a":"${'\\"'.repeat(n / 2)}`,
    "quotes never closed": (n) => `{"a":${'"'.repeat(n)}`,
    "commas followed by whitespace": (n) => `[1${", ".repeat(n / 2)}x`,
    "trailing commas everywhere": (n) => `[${'{"a":[1,],"b":{"c":2,},},'.repeat(n / 24)}]`,
    "unterminated strings in a list": (n) => `[${'"a\\",'.repeat(n / 6)}`,
    "one long line, error at the end": (n) => `{"a":"${"x".repeat(n)}"x`,
  };
  const once = (text: string): number => {
    const start = performance.now();
    for (let k = 0; k < 10; k++) {
      try {
        parseJson(text);
      } catch {
        // refused, as it should be for most shapes
      }
    }
    return performance.now() - start;
  };

  it.each(Object.keys(shapes))("%s", (name) => {
    const make = shapes[name]!;
    const small = make(8 * 1024);
    const large = make(8 * 8 * 1024);
    once(small); // warm up
    let bestSmall = Infinity;
    let bestLarge = Infinity;
    for (let round = 0; round < 25; round++) {
      bestSmall = Math.min(bestSmall, once(small));
      bestLarge = Math.min(bestLarge, once(large));
    }
    expect(bestLarge / Math.max(bestSmall, 0.01)).toBeLessThan(24);
  });
});
