// Codegen: a broken spec is refused with a message naming the file, the path inside it and the reason; generation
// is deterministic and what is committed in generated/ is exactly what it produces; `--check` notices edits to
// generated/ and files that no emitter produces. Every broken spec lives in a copy of spec/ in a temp dir.
import { spawn } from "node:child_process";
import { once } from "node:events";
import {
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseDocument, type Document } from "yaml";
import { generate } from "../../codegen/index.js";
import type { OutputFile } from "../../codegen/lib/header.js";
import { loadSpec } from "../../codegen/lib/load-spec.js";
import { SpecError } from "../../codegen/lib/spec-error.js";
import { getService } from "../../generated/registry.js";

const root = join(import.meta.dirname, "../..");
const specDir = join(root, "spec");
const generatedDir = join(root, "generated");

const temps: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------------------------
// Broken specs

/** Edits one YAML file of the copied spec, structurally. */
const yamlEdit =
  (file: string, edit: (doc: Document) => void) =>
  (dir: string): void => {
    const path = join(dir, file);
    const doc = parseDocument(readFileSync(path, "utf8"));
    edit(doc);
    writeFileSync(path, String(doc));
  };

/** Edits one file of the copied spec as text (for syntax errors, which a YAML document cannot hold). */
const textEdit =
  (file: string, from: string, to: string) =>
  (dir: string): void => {
    const path = join(dir, file);
    const text = readFileSync(path, "utf8");
    if (!text.includes(from)) throw new Error(`test setup: ${file} has no ${JSON.stringify(from)}`);
    writeFileSync(path, text.replace(from, to));
  };

const PAY = "services/Pay.yaml";
// Pay's request fields by index, as used below (asserted by the "fixture" test).
const PAY_FIELDS = { businessType: 0, orderId: 1, hospitalOrderId: 2, payMode: 7, totalFee: 11, user: 20 } as const;
const payField = (name: keyof typeof PAY_FIELDS, ...rest: (string | number)[]) => [
  "request",
  "fields",
  PAY_FIELDS[name],
  ...rest,
];

interface BrokenCase {
  name: string;
  mutate: (dir: string) => void;
  /** Expected SpecError parts: file (relative to the spec's parent), path inside it, a fragment of the reason. */
  file: string;
  path: string | RegExp;
  reason: string | RegExp;
}

const broken: BrokenCase[] = [
  {
    name: "unknown field type",
    mutate: yamlEdit(PAY, (d) => d.setIn(payField("businessType", "type"), "Integer")),
    file: "spec/services/Pay.yaml",
    path: "request.fields[0].type",
    reason: "must be equal to one of the allowed values: String, Int, Long, Decimal, list",
  },
  {
    name: "missing required key of a service",
    mutate: yamlEdit(PAY, (d) => d.delete("titleEn")),
    file: "spec/services/Pay.yaml",
    path: "",
    reason: "must have required property 'titleEn'",
  },
  {
    name: "missing required key of a field",
    mutate: yamlEdit(PAY, (d) => d.deleteIn(payField("orderId", "required"))),
    file: "spec/services/Pay.yaml",
    path: "request.fields[1]",
    reason: "must have required property 'required'",
  },
  {
    name: "unknown dictionary",
    mutate: yamlEdit(PAY, (d) => d.setIn(payField("payMode", "dictionary"), "payModes")),
    file: "spec/services/Pay.yaml",
    path: "request.fields[7].dictionary",
    reason: 'unknown dictionary "payModes"',
  },
  {
    name: "duplicate field name under the same parent",
    mutate: yamlEdit(PAY, (d) => d.setIn(payField("hospitalOrderId", "name"), "orderId")),
    file: "spec/services/Pay.yaml",
    path: "request.fields[2].name",
    reason: 'duplicate field "orderId"',
  },
  {
    name: "duplicate field name inside a list node",
    mutate: yamlEdit(PAY, (d) => d.setIn(payField("user", "fields", 1, "name"), "id")),
    file: "spec/services/Pay.yaml",
    path: "request.fields[20].fields[1].name",
    reason: 'duplicate field "id"',
  },
  {
    name: "duplicate service wire name in a direction (case-insensitive)",
    mutate: yamlEdit("services/TestNet.yaml", (d) => d.set("wireName", "pay")),
    file: "spec/services/TestNet.yaml",
    path: "wireName",
    reason: '"pay" is already a wire name or alias of spec/services/Pay.yaml in the direction platformToHospital',
  },
  {
    name: "alias clashing with another service's wire name",
    mutate: yamlEdit("services/TestNet.yaml", (d) => d.set("aliases", ["NetTest", "PAY"])),
    file: "spec/services/TestNet.yaml",
    path: "aliases[1]",
    reason: '"PAY" is already a wire name or alias of spec/services/Pay.yaml',
  },
  {
    name: "rule referencing a missing field",
    mutate: yamlEdit("services/NotifyRegister.yaml", (d) => d.setIn(["rules", 0, "field"], "reasonx")),
    file: "spec/services/NotifyRegister.yaml",
    path: "rules[0].field",
    reason: '"reasonx" is not a top-level field of exactly one payload',
  },
  {
    name: "rule naming a field present in both payloads without a prefix",
    mutate: yamlEdit("services/QueryRefund.yaml", (d) => d.setIn(["rules", 0, "field"], "orderId")),
    file: "spec/services/QueryRefund.yaml",
    path: "rules[0].field",
    reason: "prefix it with request. or response.",
  },
  {
    name: "requiredWhen across payloads",
    mutate: yamlEdit("services/QueryRefund.yaml", (d) =>
      d.setIn(["rules", 0, "when", "field"], "request.businessType"),
    ),
    file: "spec/services/QueryRefund.yaml",
    path: "rules[0]",
    reason: "field and when.field must be in the same payload",
  },
  {
    name: "example file that does not exist",
    mutate: yamlEdit(PAY, (d) => d.setIn(["examples", "request", "file"], "Gone.request.xml")),
    file: "spec/services/Pay.yaml",
    path: "examples.request.file",
    reason: "no such fixture spec/examples/Gone.request.xml",
  },
  {
    name: "example with errors but no errata",
    mutate: yamlEdit(PAY, (d) => d.set("errata", [])),
    file: "spec/services/Pay.yaml",
    path: "examples.request.errors",
    reason: "an example that fails validation must be explained by an erratum",
  },
  {
    name: "response example for a service whose response is 无",
    mutate: yamlEdit("services/NotifyRegister.yaml", (d) =>
      d.setIn(["examples", "response"], { file: "NotifyRegister.request.xml", errors: [] }),
    ),
    file: "spec/services/NotifyRegister.yaml",
    path: "examples.response",
    reason: "the service has no response payload",
  },
  {
    name: "Int field with string enum values",
    mutate: yamlEdit(PAY, (d) => d.setIn(payField("businessType", "values", 0, "value"), "0")),
    file: "spec/services/Pay.yaml",
    path: "request.fields[0].values[0].value",
    reason: "must be an integer for a Int field",
  },
  {
    name: "String field with numeric enum values",
    mutate: yamlEdit(PAY, (d) => d.setIn(payField("orderId", "values"), [{ value: 1, label: "x" }])),
    file: "spec/services/Pay.yaml",
    path: "request.fields[1].values[0].value",
    reason: "must be a string for a String field",
  },
  {
    name: "Int field drawing from a text dictionary",
    mutate: yamlEdit(PAY, (d) => d.setIn(payField("payMode", "dictionary"), "userRule")),
    file: "spec/services/Pay.yaml",
    path: "request.fields[7].dictionary",
    reason: 'dictionary "userRule" has text values; the field is Int',
  },
  {
    name: "extraValues without a dictionary or values",
    mutate: yamlEdit(PAY, (d) => d.setIn(payField("orderId", "extraValues"), [{ value: "x", label: "x" }])),
    file: "spec/services/Pay.yaml",
    path: "request.fields[1].extraValues",
    reason: "extraValues needs a dictionary or values",
  },
  {
    name: "Decimal without precision",
    mutate: yamlEdit(PAY, (d) => d.deleteIn(payField("totalFee", "precision"))),
    file: "spec/services/Pay.yaml",
    path: "request.fields[11]",
    reason: "must have required property 'precision'",
  },
  {
    name: "Decimal scale above precision",
    mutate: yamlEdit(PAY, (d) => d.setIn(payField("totalFee", "scale"), 12)),
    file: "spec/services/Pay.yaml",
    path: "request.fields[11].scale",
    reason: "scale exceeds precision",
  },
  {
    name: "maxLength on an Int",
    mutate: yamlEdit(PAY, (d) => d.setIn(payField("businessType", "maxLength"), 4)),
    file: "spec/services/Pay.yaml",
    path: "request.fields[0]",
    reason: "maxLength and format apply to String fields only",
  },
  {
    name: "format on an Int",
    mutate: yamlEdit(PAY, (d) => d.setIn(payField("businessType", "format"), "date")),
    file: "spec/services/Pay.yaml",
    path: "request.fields[0]",
    reason: "maxLength and format apply to String fields only",
  },
  {
    name: "dictionary and inline values together",
    mutate: yamlEdit(PAY, (d) => d.setIn(payField("payMode", "values"), [{ value: 1, label: "x" }])),
    file: "spec/services/Pay.yaml",
    path: "request.fields[7]",
    reason: "a field takes either a dictionary or inline values, not both",
  },
  {
    name: "list without fields",
    mutate: yamlEdit(PAY, (d) => d.deleteIn(payField("user", "fields"))),
    file: "spec/services/Pay.yaml",
    path: "request.fields[20]",
    reason: "must have required property 'fields'",
  },
  {
    name: "scalar with child fields",
    mutate: yamlEdit(PAY, (d) =>
      d.setIn(payField("orderId", "fields"), [{ name: "x", type: "String", required: true, description: "x" }]),
    ),
    file: "spec/services/Pay.yaml",
    path: "request.fields[1]",
    reason: "only a list field may have child fields",
  },
  {
    name: "bad YAML syntax, with its line",
    mutate: textEdit(PAY, "    - name: orderId\n", "    - name: orderId\n      description: [unclosed\n"),
    file: "spec/services/Pay.yaml",
    path: /^line \d+$/,
    reason: /./,
  },
  {
    name: "sideEffects that disagree with the idempotency",
    mutate: yamlEdit(PAY, (d) => d.set("sideEffects", "none")),
    file: "spec/services/Pay.yaml",
    path: "sideEffects",
    reason: /"none" and idempotency mode "once" disagree/,
  },
  {
    name: "an unknown sideEffects",
    mutate: yamlEdit(PAY, (d) => d.set("sideEffects", "sometimes")),
    file: "spec/services/Pay.yaml",
    path: "sideEffects",
    reason: /./,
  },
  {
    name: "duplicate YAML key, with its line",
    mutate: textEdit(PAY, "title: 支付\n", "title: 支付\ntitle: 付款\n"),
    file: "spec/services/Pay.yaml",
    path: "line 8", // the second occurrence
    reason: "Map keys must be unique",
  },
  {
    name: "duplicate erratum id across files",
    mutate: yamlEdit(PAY, (d) => d.setIn(["errata", 0, "id"], "result-code-illegal-request-space")),
    file: "spec/services/Pay.yaml",
    path: "errata[0].id",
    reason: 'duplicate erratum id "result-code-illegal-request-space"',
  },
  {
    name: "duplicate erratum id in errata.yaml",
    mutate: yamlEdit("errata.yaml", (d) => d.setIn([1, "id"], "result-code-illegal-request-space")),
    file: "spec/errata.yaml",
    path: "[1].id",
    reason: 'duplicate erratum id "result-code-illegal-request-space"',
  },
  {
    name: "file name differs from the service name",
    mutate: (dir) => renameSync(join(dir, PAY), join(dir, "services/Payment.yaml")),
    file: "spec/services/Payment.yaml",
    path: "name",
    reason: 'must equal the file name "Payment"',
  },
  {
    name: "unknown top-level key",
    mutate: yamlEdit(PAY, (d) => d.set("timeout", 30)),
    file: "spec/services/Pay.yaml",
    path: "",
    reason: 'unknown key "timeout"',
  },
  {
    name: "unknown key in a field (typo)",
    mutate: yamlEdit(PAY, (d) => d.setIn(payField("orderId", "maxLenght"), 64)),
    file: "spec/services/Pay.yaml",
    path: "request.fields[1]",
    reason: 'unknown key "maxLenght"',
  },
  {
    name: "bad direction",
    mutate: yamlEdit(PAY, (d) => d.set("direction", "both")),
    file: "spec/services/Pay.yaml",
    path: "direction",
    reason: "platformToHospital, hospitalToPlatform",
  },
  {
    name: "dictionary value of the wrong type",
    mutate: yamlEdit("dictionaries.yaml", (d) => d.setIn([0, "values", 0, "value"], "0")),
    file: "spec/dictionaries.yaml",
    path: "[0].values[0].value",
    reason: "must be an integer (valueType Int)",
  },
  {
    name: "duplicate dictionary name",
    mutate: yamlEdit("dictionaries.yaml", (d) => d.setIn([1, "name"], "sex")),
    file: "spec/dictionaries.yaml",
    path: "[1].name",
    reason: 'duplicate dictionary "sex"',
  },
  {
    name: "duplicate dictionary value",
    mutate: yamlEdit("dictionaries.yaml", (d) => d.setIn([0, "values", 1, "value"], 0)),
    file: "spec/dictionaries.yaml",
    path: "[0].values[1].value",
    reason: 'duplicate value "0"',
  },
  {
    name: "duplicate unified result code",
    mutate: yamlEdit("result-codes.yaml", (d) => d.setIn([1, "code"], "SUCCESS")),
    file: "spec/result-codes.yaml",
    path: "[1].code",
    reason: 'duplicate result code "SUCCESS"',
  },
  {
    name: "a fingerprint naming a field the request does not have",
    mutate: yamlEdit("services/NotifyRegister.yaml", (d) =>
      d.setIn(["idempotency", "fingerprint", "fields"], ["hospitalOrderId", "notifyTimes"]),
    ),
    file: "spec/services/NotifyRegister.yaml",
    path: "idempotency.fingerprint.fields[1]",
    reason: '"notifyTimes" is not a field of the request',
  },
  {
    name: "a fingerprint repeating the key",
    mutate: yamlEdit("services/NotifyRegister.yaml", (d) =>
      d.setIn(["idempotency", "fingerprint", "fields"], ["orderId", "hospitalOrderId"]),
    ),
    file: "spec/services/NotifyRegister.yaml",
    path: "idempotency.fingerprint.fields[0]",
    reason: "part of the key",
  },
  {
    name: "idempotency without its fingerprint decision",
    mutate: yamlEdit(PAY, (d) => d.deleteIn(["idempotency", "fingerprint"])),
    file: "spec/services/Pay.yaml",
    path: "idempotency",
    reason: "must have required property 'fingerprint'",
  },
  {
    name: "a money field that does not state its minimum",
    mutate: yamlEdit(PAY, (d) => d.deleteIn(payField("totalFee", "minimum"))),
    file: "spec/services/Pay.yaml",
    path: "request.fields[11].minimum",
    reason: "a money field must state its minimum",
  },
  {
    name: "minimum on a String field",
    mutate: yamlEdit(PAY, (d) => d.setIn(payField("orderId", "minimum"), 1)),
    file: "spec/services/Pay.yaml",
    path: "request.fields[1]",
    reason: "minimum applies to Int, Long and Decimal fields only",
  },
  {
    name: "a result code without its outcome (final or transient)",
    mutate: yamlEdit(PAY, (d) => d.deleteIn(["resultCodes", 7, "outcome"])),
    file: "spec/services/Pay.yaml",
    path: "resultCodes[7]",
    reason: "must have required property 'outcome'",
  },
  {
    name: "a unified result code with an unknown outcome",
    mutate: yamlEdit("result-codes.yaml", (d) => d.setIn([1, "outcome"], "maybe")),
    file: "spec/result-codes.yaml",
    path: "[1].outcome",
    reason: "must be equal to one of the allowed values: final, transient",
  },
  {
    name: "duplicate result code in a service",
    mutate: yamlEdit(PAY, (d) => d.setIn(["resultCodes", 1, "code"], "S02000101")),
    file: "spec/services/Pay.yaml",
    path: "resultCodes[1].code",
    reason: 'duplicate result code "S02000101"',
  },
  {
    name: "erratum without why",
    mutate: yamlEdit("errata.yaml", (d) => d.deleteIn([0, "why"])),
    file: "spec/errata.yaml",
    path: "[0]",
    reason: "must have required property 'why'",
  },
];

describe("codegen: broken specs are refused with file, path and reason", () => {
  it("has the fixture the cases rely on", () => {
    const pay = loadSpec(specDir).services.find((s) => s.name === "Pay")!;
    for (const [name, i] of Object.entries(PAY_FIELDS)) expect(pay.request.fields[i]!.name).toBe(name);
    expect(pay.errata.length).toBeGreaterThan(0);
    expect(pay.examples?.request?.errors.length).toBeGreaterThan(0);
  });

  it("has at least 15 cases", () => {
    expect(broken.length).toBeGreaterThanOrEqual(15);
  });

  it.each(broken)("$name", ({ mutate, file, path, reason }) => {
    const dir = join(tempDir("hisgate-spec-"), "spec");
    cpSync(specDir, dir, { recursive: true });
    mutate(dir);
    let error: unknown;
    try {
      loadSpec(dir);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SpecError);
    const e = error as SpecError;
    expect(e.file).toBe(file);
    if (typeof path === "string") expect(e.path).toBe(path);
    else expect(e.path).toMatch(path);
    if (typeof reason === "string") expect(e.reason).toContain(reason);
    else expect(e.reason).toMatch(reason);
    // The message a maintainer sees carries all three.
    expect(e.message).toContain(file);
    expect(e.message).toContain(path === "" ? "(root)" : typeof path === "string" ? path : e.path);
    expect(e.message).toContain(e.reason);
  });

  it("accepts the unmodified copy", () => {
    const dir = join(tempDir("hisgate-spec-"), "spec");
    cpSync(specDir, dir, { recursive: true });
    expect(loadSpec(dir).services).toHaveLength(21);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Determinism and the committed output

describe("codegen: generate()", () => {
  let first: OutputFile[];
  let second: OutputFile[];

  it("gives identical output when run twice", async () => {
    first = await generate();
    second = await generate();
    expect(second.map((f) => f.name)).toEqual(first.map((f) => f.name));
    for (let i = 0; i < first.length; i++) expect(second[i]!.content, first[i]!.name).toBe(first[i]!.content);
  });

  it("equals what is committed in generated/, byte for byte, with no extra files", async () => {
    first ??= await generate();
    const committed = readdirSync(generatedDir, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => join(d.parentPath, d.name).slice(generatedDir.length + 1))
      .sort();
    expect(committed).toEqual(first.map((f) => f.name).sort());
    for (const f of first) {
      expect(readFileSync(join(generatedDir, f.name)).equals(Buffer.from(f.content, "utf8")), f.name).toBe(true);
    }
  });

  it("generates from another spec directory (a copy gives the same output)", async () => {
    const dir = join(tempDir("hisgate-spec-"), "spec");
    cpSync(specDir, dir, { recursive: true });
    first ??= await generate();
    const copy = await generate(dir);
    expect(copy.map((f) => f.content)).toEqual(first.map((f) => f.content));
  });

  const tsFiles = readdirSync(generatedDir).filter((f) => f.endsWith(".ts"));
  const headerCheck = (name: string) => {
    const text = readFileSync(join(generatedDir, name), "utf8");
    const emitter = name === "openapi.d.ts" ? "openapi" : name.replace(/\.ts$/, "");
    const first = text.split("\n")[0]!;
    expect(first).toMatch(
      /^\/\/ Code generated by hisgate codegen \(codegen\/emitters\/[\w-]+\.ts\) from .+\. DO NOT EDIT\.$/,
    );
    expect(first).toContain(`(codegen/emitters/${emitter}.ts)`);
  };
  it("covers every generated .ts file", () => {
    expect(tsFiles.sort()).toEqual([
      "enums.ts",
      "envelope.ts",
      "openapi.d.ts",
      "registry.ts",
      "trail.ts",
      "types.ts",
      "validators.ts",
    ]);
  });
  for (const name of tsFiles)
    it(`${name} starts with the "Code generated … DO NOT EDIT" header naming its emitter`, () => headerCheck(name));

  it("a compiled HIS profile's header sends the reader to its profiles/*.yaml, not to spec/", () => {
    const text = readFileSync(join(generatedDir, "profiles", "demo-legacy.ts"), "utf8");
    expect(text.split("\n").slice(0, 2)).toEqual([
      "// Code generated by hisgate codegen (codegen/emitters/profiles.ts) from profiles/demo-legacy.yaml. DO NOT EDIT.",
      "// Change profiles/demo-legacy.yaml and run `npm run codegen` instead.",
    ]);
  });

  it("every generated .ts file carries the header somewhere before its first declaration", () => {
    for (const name of tsFiles) {
      const text = readFileSync(join(generatedDir, name), "utf8");
      const at = text.indexOf("// Code generated by hisgate codegen");
      expect(at, name).toBeGreaterThanOrEqual(0);
      expect(text.slice(at)).toContain("DO NOT EDIT");
      const firstDecl = text.search(/^(export |const |function |type |interface )/m);
      expect(at, name).toBeLessThan(firstDecl);
    }
  });

  it("openapi.json: 21 operations named after the services, marked DO NOT EDIT", () => {
    const doc = JSON.parse(readFileSync(join(generatedDir, "openapi.json"), "utf8")) as {
      info: { description: string };
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    expect(doc.info.description).toContain("DO NOT EDIT");
    expect(doc.info.description).toContain("codegen/emitters/openapi.ts");
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.values(methods).map((op) => ({ path, operationId: op.operationId })),
    );
    expect(ops).toHaveLength(21);
    const names = loadSpec(specDir).services.map((s) => s.name);
    expect(ops.map((o) => o.operationId).sort()).toEqual([...names].sort());
    for (const o of ops) expect(o.path.endsWith(`/${o.operationId}`), o.path).toBe(true);
  });

  it("registry entry of TestNet (file snapshot)", async () => {
    const def = getService("TestNet")!;
    const text = [
      ...Object.entries(def)
        .filter(([, v]) => typeof v !== "function")
        .map(([k, v]) => `${k}: ${JSON.stringify(v instanceof Set ? [...v] : v)}`),
      `validateRequest: ${def.validateRequest.name}`,
      `validateResponse: ${def.validateResponse.name}`,
      "",
    ].join("\n");
    await expect(text).toMatchFileSnapshot("__snapshots__/registry-TestNet.txt");
  });
});

// ---------------------------------------------------------------------------------------------------------------
// `codegen --check`, run for real on a copy of the project (codegen/ reads spec/ and generated/ next to itself)

// Each case runs the whole of codegen (spec, validators, profiles, prettier) in a child process: on a shared,
// loaded machine that alone can take most of a minute.
describe("codegen --check", { timeout: 240_000 }, () => {
  /** A copy of the project that `tsx codegen/index.ts` can run in; node_modules is linked, not copied. */
  const copyProject = (): string => {
    const dir = tempDir("hisgate-check-");
    for (const d of ["codegen", "spec", "generated", "runtime", "profiles", "test/profiles"])
      cpSync(join(root, d), join(dir, d), { recursive: true });
    for (const f of ["package.json", ".prettierrc.json", ".prettierignore"]) cpSync(join(root, f), join(dir, f));
    symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir");
    return dir;
  };
  const check = async (dir: string) => {
    const child = spawn(join(root, "node_modules/.bin/tsx"), ["codegen/index.ts", "--check"], { cwd: dir });
    let out = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => (out += b.toString()));
    const [status] = (await once(child, "close")) as [number | null];
    return { status, out };
  };
  /** Runs the check on a fresh copy changed by `apply`; the copy is thrown away afterwards. */
  const checkChanged = async (apply: (dir: string) => void) => {
    const dir = copyProject();
    apply(dir);
    try {
      return await check(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const edit = (file: string, from: string, to: string) => (dir: string) => {
    const text = readFileSync(join(dir, file), "utf8");
    if (!text.includes(from)) throw new Error(`test setup: ${file} has no ${JSON.stringify(from)}`);
    writeFileSync(join(dir, file), text.replace(from, to));
  };

  // Each codegen run takes seconds, so one run checks several problems at once; each is reported on its own line.
  it("passes on an unmodified copy", async () => {
    const r = await checkChanged(() => {});
    expect(r.out).toContain("generated/ is up to date");
    expect(r.status).toBe(0);
  });

  it("names each hand-edited, stale, missing and outdated file", async () => {
    const r = await checkChanged((dir) => {
      edit("generated/enums.ts", "未知", "不详")(dir); // hand-edited generated file
      writeFileSync(join(dir, "generated/old-emitter.ts"), "export {};\n"); // stale extra file
      rmSync(join(dir, "generated/envelope.ts")); // missing file
      edit("spec/services/TestNet.yaml", "maxLength: 16", "maxLength: 40")(dir); // spec changed, generated/ not
    });
    expect(r.status).toBe(1);
    const problems = r.out
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => /^(out of date|stale|missing): /.test(l))
      .sort();
    expect(problems).toEqual(
      [
        "out of date: generated/enums.ts",
        "stale: generated/old-emitter.ts",
        "missing: generated/envelope.ts",
        "out of date: generated/validators.ts",
        "out of date: generated/types.ts",
        "out of date: generated/openapi.json",
      ].sort(),
    );
    expect(r.out).toContain("run `npm run codegen`");
  });

  it("fails with the spec error when spec/ is broken", async () => {
    const r = await checkChanged(edit("spec/services/Pay.yaml", "type: Decimal", "type: Money"));
    expect(r.status).toBe(1);
    expect(r.out).toContain("codegen: invalid spec: spec/services/Pay.yaml: request.fields[11].type:");
  });
});
