// Generated validators vs ajv standalone code, compiled from the same schemas in the same run.
//
//   npx tsx bench/validators.bench.ts
//
// The JSON Schemas come from generated/openapi.json (the typed HIS contract), adapted to wire text: every leaf is a
// string, Int/Long a sign-and-digits pattern, Decimal(p,s) a digits pattern, dictionary values string enums, dates
// and times their format patterns. ajv's standalone code is written to bench/out/ (gitignored) and imported, the way
// a Worker would have to ship it (no eval at request time). Results go to bench/validators-results.json.
//
// The two do not do quite the same work: the generated validators also trim text, treat "" as absent, check that
// dates exist on the calendar (ajv's pattern does not), and build the typed output object (numbers for Int/Decimal).
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import Ajv, { type AnySchema } from "ajv";
import standaloneCode from "ajv/dist/standalone/index.js";
import { Bench } from "tinybench";
import { generate } from "../codegen/index.js";
import openapi from "../generated/openapi.json" with { type: "json" };
import { validateOrderRegisterRequest, validateQueryRegisterResponse } from "../generated/validators.js";

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, "out");

// ---------------------------------------------------------------------------------------------------------------
// OpenAPI component -> wire-text JSON Schema

type Schema = Record<string, unknown>;
const components = openapi.components.schemas as unknown as Record<string, Schema>;
const INT_PATTERN = "^[+-]?\\d{1,19}$";

function resolve(ref: string): Schema {
  return components[ref.replace("#/components/schemas/", "")]!;
}

function wireSchema(s: Schema): Schema {
  if (typeof s.$ref === "string") {
    const target = resolve(s.$ref);
    // A dictionary: its values as wire text.
    if (Array.isArray(target.enum)) return { type: "string", enum: target.enum.map(String) };
    return wireSchema(target);
  }
  switch (s.type) {
    case "object": {
      const properties = Object.fromEntries(
        Object.entries(s.properties as Record<string, Schema>).map(([k, v]) => [k, wireSchema(v)]),
      );
      const required = (s.required as string[] | undefined) ?? [];
      // A required list must have at least one entry.
      for (const name of required) {
        if ((properties[name] as Schema).type === "array") (properties[name] as Schema).minItems = 1;
      }
      return { type: "object", properties, ...(required.length ? { required } : {}) };
    }
    case "array":
      return { type: "array", items: wireSchema(s.items as Schema) };
    case "string": {
      const out: Schema = { type: "string" };
      if (s.maxLength !== undefined) out.maxLength = s.maxLength;
      if (s.pattern !== undefined) out.pattern = s.pattern;
      if (Array.isArray(s.enum)) out.enum = s.enum.map(String);
      return out;
    }
    case "integer":
      return Array.isArray(s.enum)
        ? { type: "string", enum: s.enum.map(String) }
        : { type: "string", pattern: INT_PATTERN };
    case "number": {
      const { precision, scale } = s["x-decimal"] as { precision: number; scale: number };
      return { type: "string", pattern: `^[+-]?\\d{1,${precision - scale}}(\\.\\d{1,${scale}})?$` };
    }
    default:
      throw new Error(`unhandled schema ${JSON.stringify(s)}`);
  }
}

const schemas = {
  OrderRegisterRequest: wireSchema(components.OrderRegisterRequest!),
  QueryRegisterResponse: wireSchema(components.QueryRegisterResponse!),
};

// ---------------------------------------------------------------------------------------------------------------
// ajv standalone code, compiled now

type AjvValidate = ((data: unknown) => boolean) & { errors?: unknown[] | null };

async function compileAjv(): Promise<{ orderRegister: AjvValidate; queryRegister: AjvValidate; ms: number }> {
  const started = performance.now();
  // allErrors: the generated validators report every failing field, so ajv is asked to do the same.
  const ajv = new Ajv({ allErrors: true, strict: true, code: { source: true, esm: true } });
  for (const [id, schema] of Object.entries(schemas)) ajv.addSchema({ $id: id, ...schema } as AnySchema);
  const code = standaloneCode(ajv, {
    validateOrderRegisterRequest: "OrderRegisterRequest",
    validateQueryRegisterResponse: "QueryRegisterResponse",
  });
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, "ajv-validators.mjs");
  // ajv's ESM standalone output still require()s its runtime helpers (ucs2length for maxLength): give it a require.
  writeFileSync(
    file,
    `import { createRequire } from "node:module";\nconst require = createRequire(import.meta.url);\n${code}`,
  );
  const mod = (await import(`${pathToFileURL(file).href}?t=${Date.now()}`)) as Record<string, AjvValidate>;
  return {
    orderRegister: mod.validateOrderRegisterRequest!,
    queryRegister: mod.validateQueryRegisterResponse!,
    ms: performance.now() - started,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Payloads (wire text, as the XML reader hands them over)

const orderRegisterValid = {
  orderId: "201702081513554853",
  hospitalLockId: "L0001",
  channelId: "1",
  scheduleId: "0003",
  timeId: "T01",
  departmentId: "002",
  doctorId: "3",
  registerDate: "2017-01-19",
  noon: "2",
  startTime: "14:30",
  endTime: "17:30",
  registerFee: "500",
  treatFee: "1000.50",
  serviceFee: "0",
  otherFee: "0",
  clinicNo: "12",
  registerType: "2",
  patientName: "患者",
  patientMobile: "13800000000",
  patientBirthday: "1992-05-29",
  patientSex: "1",
  patientFlag: "0",
  agentId: "",
  orderTime: "2017-02-08 15:13:55",
  group: [
    {
      flag: "1",
      rule: [
        { id: "certifcate", type: "1", value: "431022199205293415" },
        { id: "mobile", value: "13800000000" },
      ],
    },
  ],
};

// Three errors, each found by both: a missing required field, a value outside its dictionary, a Decimal(10,2) with
// three fraction digits.
const orderRegisterInvalid: Record<string, unknown> = { ...orderRegisterValid, noon: "7", registerFee: "1.234" };
delete orderRegisterInvalid.orderId;

function order(i: number): Record<string, string> {
  const day = String((i % 28) + 1).padStart(2, "0");
  return {
    orderId: `2017020815135548${String(i).padStart(4, "0")}`,
    hospitalOrderId: `H${i}`,
    hospitalTradeId: `T${i}`,
    visitNo: `V${i}`,
    channelId: String([1, 2, 3, 9][i % 4]),
    scheduleId: `S${i % 7}`,
    departmentId: "002",
    departmenName: "内科",
    doctorId: String(i % 13),
    doctorName: "张医生",
    registerDate: `2017-02-${day}`,
    noon: String((i % 3) + 1),
    startTime: "08:00",
    endTime: "08:30",
    getTime: "07:30-08:00",
    registerFee: "500",
    treatFee: "1000.50",
    serviceFee: "0",
    otherFee: "0",
    totalFee: "1500.50",
    realFee: "1500.50",
    orderTime: `2017-02-${day} 15:13:55`,
    isPay: "1",
    payTime: `2017-02-${day} 15:14:02`,
    isTake: "0",
    isCancel: "0",
    isRefund: "0",
    refundlFee: "0",
    isStop: "0",
    noshow: "0",
    patientId: `P${i}`,
    certifcateType: "1",
    certifcateNo: "431022199205293415",
    patientName: "患者",
    patientSex: String(i % 2 ? 1 : 2),
    patientBirthday: "1992-05-29",
    patientMobile: "13800000000",
  };
}

const queryRegisterValid = { count: "100", order: Array.from({ length: 100 }, (_, i) => order(i)) };
// Three errors, spread over the list so that both validators walk all of it.
const queryRegisterInvalid = structuredClone(queryRegisterValid);
delete (queryRegisterInvalid.order[10] as Record<string, string>).patientId;
queryRegisterInvalid.order[50]!.isPay = "5";
queryRegisterInvalid.order[99]!.realFee = "12.345";

// ---------------------------------------------------------------------------------------------------------------

interface Case {
  name: string;
  hisgate: () => unknown;
  ajv: () => unknown;
}

async function main(): Promise<void> {
  const codegenStarted = performance.now();
  const files = await generate();
  const codegenMs = performance.now() - codegenStarted;

  const ajv = await compileAjv();

  const hisgateErrors = (r: ReturnType<typeof validateOrderRegisterRequest | typeof validateQueryRegisterResponse>) =>
    r.ok ? 0 : r.errors.length;
  const ajvErrors = (v: AjvValidate, data: unknown) => (v(data) ? 0 : (v.errors?.length ?? 0));

  // Both sides must agree before their speed means anything.
  const expectations: [string, number, number, number][] = [
    [
      "OrderRegister request valid",
      hisgateErrors(validateOrderRegisterRequest(orderRegisterValid)),
      ajvErrors(ajv.orderRegister, orderRegisterValid),
      0,
    ],
    [
      "OrderRegister request invalid",
      hisgateErrors(validateOrderRegisterRequest(orderRegisterInvalid)),
      ajvErrors(ajv.orderRegister, orderRegisterInvalid),
      3,
    ],
    [
      "QueryRegister response valid",
      hisgateErrors(validateQueryRegisterResponse(queryRegisterValid)),
      ajvErrors(ajv.queryRegister, queryRegisterValid),
      0,
    ],
    [
      "QueryRegister response invalid",
      hisgateErrors(validateQueryRegisterResponse(queryRegisterInvalid)),
      ajvErrors(ajv.queryRegister, queryRegisterInvalid),
      3,
    ],
  ];
  for (const [name, h, a, want] of expectations) {
    if (h !== want || a !== want) throw new Error(`${name}: hisgate ${h} errors, ajv ${a} errors, expected ${want}`);
  }

  const cases: Case[] = [
    {
      name: "OrderRegister request valid",
      hisgate: () => validateOrderRegisterRequest(orderRegisterValid),
      ajv: () => ajv.orderRegister(orderRegisterValid),
    },
    {
      name: "OrderRegister request invalid (3 errors)",
      hisgate: () => validateOrderRegisterRequest(orderRegisterInvalid),
      ajv: () => ajv.orderRegister(orderRegisterInvalid),
    },
    {
      name: "QueryRegister response 100 orders valid",
      hisgate: () => validateQueryRegisterResponse(queryRegisterValid),
      ajv: () => ajv.queryRegister(queryRegisterValid),
    },
    {
      name: "QueryRegister response 100 orders invalid (3 errors)",
      hisgate: () => validateQueryRegisterResponse(queryRegisterInvalid),
      ajv: () => ajv.queryRegister(queryRegisterInvalid),
    },
  ];

  const bench = new Bench({ time: 1000, warmupTime: 200 });
  for (const c of cases) {
    bench.add(`hisgate: ${c.name}`, c.hisgate);
    bench.add(`ajv: ${c.name}`, c.ajv);
  }
  await bench.run();

  const opsPerSecond = (name: string): number => {
    const task = bench.getTask(name);
    const result = task?.result as { state?: string; throughput?: { mean: number } } | undefined;
    if (!result?.throughput) throw new Error(`no result for ${name}: ${JSON.stringify(result)}`);
    return result.throughput.mean;
  };
  const rows = cases.map((c) => {
    const hisgate = opsPerSecond(`hisgate: ${c.name}`);
    const ajvOps = opsPerSecond(`ajv: ${c.name}`);
    return {
      case: c.name,
      hisgateOpsPerSec: Math.round(hisgate),
      ajvOpsPerSec: Math.round(ajvOps),
      ratio: +(hisgate / ajvOps).toFixed(2),
    };
  });

  const fmt = (n: number) => n.toLocaleString("en-US");
  const widths = [52, 16, 16, 18];
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(line(["case", "hisgate ops/s", "ajv ops/s", "ratio hisgate/ajv"]));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const r of rows) console.log(line([r.case, fmt(r.hisgateOpsPerSec), fmt(r.ajvOpsPerSec), r.ratio.toFixed(2)]));
  console.log();
  console.log(`codegen generate(): ${codegenMs.toFixed(0)} ms (${files.length} files, one cold run)`);
  console.log(`ajv compile + standalone code + import: ${ajv.ms.toFixed(0)} ms`);

  const results = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    command: "npx tsx bench/validators.bench.ts",
    ajv: { options: { allErrors: true, strict: true, standalone: "esm" }, compileMs: Math.round(ajv.ms) },
    codegenMs: Math.round(codegenMs),
    cases: rows,
  };
  writeFileSync(join(here, "validators-results.json"), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`wrote bench/validators-results.json`);
}

await main();
