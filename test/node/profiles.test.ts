// The profile compiler and its runtime, given/want: bad profiles fail codegen with `file: path: reason`, and
// the runtime's conversions are exact.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compileProfile } from "../../codegen/lib/compile-profile.js";
import { readProfile } from "../../codegen/lib/load-profiles.js";
import { loadSpec } from "../../codegen/lib/load-spec.js";
import * as v from "../../runtime/profile/index.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const spec = loadSpec(join(root, "spec"));

/** Compiles a profile given as YAML text; returns the error message, or "" when it compiles. */
function compile(yaml: string, hooks: string[] = []): string {
  const file = "profiles/bad.yaml";
  try {
    const profile = readProfile(yaml, file, root);
    compileProfile(spec, file, profile, { hookModule: (h) => (hooks.includes(h) ? `./${h}` : undefined) });
    return "";
  } catch (err) {
    return (err as Error).message;
  }
}

const head = `name: bad
answer: { success: { path: code, equals: "1" }, data: data }
services:
`;

describe("bad profiles fail codegen precisely", () => {
  const cases: { name: string; services: string; want: string }[] = [
    {
      name: "a target field the standard does not have",
      services: `  TestNet:\n    response: { systemTime: { from: now, format: unix }, serverName: name }`,
      want: "profiles/bad.yaml: services.TestNet.response.serverName: the standard's TestNet answer has no field serverName (it has systemTime)",
    },
    {
      name: "a nested target the standard does not have",
      services: `  GetDepartmentInfo:
    paging: { mode: local }
    response:
      department:
        each: rows
        fields: { id: a, name: b, parentId: c, expertise: d, level: e, status: f, floor: g }`,
      want: "services.GetDepartmentInfo.response.department.fields.floor: the standard's GetDepartmentInfo department item has no field floor",
    },
    {
      name: "a value map giving text to an Int field",
      services: `  CheckCard:\n    response: { cardStatus: { from: s, map: { A: "0" } }, cardTime: t }`,
      want: 'services.CheckCard.response.cardStatus.map.A: "0" is not an integer; cardStatus is Int',
    },
    {
      name: "a value map giving a value outside the field's enum",
      services: `  CheckCard:\n    response: { cardStatus: { from: s, map: { A: 7 } }, cardTime: t }`,
      want: "services.CheckCard.response.cardStatus.map.A: 7 is not a value of cardStatus (0, 1, 2)",
    },
    {
      name: "a constant number for a String field",
      services: `  CheckCard:\n    response: { cardStatus: { const: 0 }, cardTime: t, medicalNo: { const: 12 } }`,
      want: "services.CheckCard.response.medicalNo.const: 12 is a number; medicalNo is String (quote it)",
    },
    {
      name: "a constant that breaks the field's format",
      services: `  TestNet:\n    response: { systemTime: { const: "2024-05-01" } }`,
      want: 'services.TestNet.response.systemTime.const: "2024-05-01" does not match systemTime\'s format datetime',
    },
    {
      name: "money into a text field",
      services: `  CheckCard:\n    response: { cardStatus: { const: 0 }, cardTime: t, medicalNo: { from: m, money: yuan } }`,
      want: "services.CheckCard.response.medicalNo.money: money applies to amounts; medicalNo is String",
    },
    {
      name: "a date format into a field without one",
      services: `  CheckCard:\n    response: { cardStatus: { const: 0 }, cardTime: t, medicalNo: { from: m, format: yyyyMMdd } }`,
      want: "services.CheckCard.response.medicalNo.format: medicalNo has no date or time format in the standard",
    },
    {
      name: "a pattern that lacks what the standard's format needs",
      services: `  CheckCard:\n    response: { cardStatus: { const: 0 }, cardTime: { from: t, format: yyyyMMdd } }`,
      want: 'services.CheckCard.response.cardTime.format: "yyyyMMdd" has no H, m to give "yyyy-MM-dd HH:mm:ss"',
    },
    {
      name: "a malformed pattern",
      services: `  TestNet:\n    response: { systemTime: { from: t, format: "yy-MM-dd HH:mm:ss" } }`,
      want: 'services.TestNet.response.systemTime.format: pattern "yy-MM-dd HH:mm:ss": "yy" must be 4 letters',
    },
    {
      name: "a required field left unmapped",
      services: `  CheckCard:\n    response: { cardStatus: { const: 0 } }`,
      want: "services.CheckCard.response.cardTime: required by the standard and not mapped",
    },
    {
      name: "a list mapped as a value",
      services: `  GetDepartmentInfo:\n    response: { count: n, department: rows }`,
      want: "services.GetDepartmentInfo.response.department: department is a list in the standard: give each or groupBy, and fields",
    },
    {
      name: "a value mapped as a list",
      services: `  TestNet:\n    response: { systemTime: { each: rows, fields: {} } }`,
      want: "services.TestNet.response.systemTime: systemTime is a String in the standard, not a list",
    },
    {
      name: "a top-level list without rows",
      services: `  GetDepartmentInfo:
    response:
      count: n
      department: { fields: { id: a, name: b, parentId: c, expertise: d, level: e, status: f } }`,
      want: "services.GetDepartmentInfo.response.department: a list outside a group needs each: the path of the HIS's rows",
    },
    {
      name: "a request field the standard does not have",
      services: `  TestNet:\n    request: { client_ip: clientIp }\n    response: { systemTime: { from: t, format: unix } }`,
      want: "services.TestNet.request.client_ip.from: the standard's request has no field clientIp (it has ip)",
    },
    {
      name: "a request value map keyed by a value the standard does not have",
      services: `  CheckCard:
    request: { sex: { from: sex, map: { "1": M, "3": X } } }
    response: { cardStatus: { const: 0 }, cardTime: t }`,
      want: "services.CheckCard.request.sex.map.3: 3 is not a value of sex (0, 1, 2, 9)",
    },
    {
      name: "a path placeholder the request does not have",
      services: `  TestNet:\n    transport: { path: "/ping/{host}" }\n    response: { systemTime: { from: t, format: unix } }`,
      want: "services.TestNet.transport.path: the standard's request has no field host (it has ip)",
    },
    {
      name: "a HIS code mapped to another service's business code",
      services: `  Pay:\n    codes: { "-101": S02000301 }\n    response: { hospitalTradeId: no }`,
      want: "services.Pay.codes.-101: S02000301 is not a business code of Pay (S02000101, S02000102",
    },
    {
      name: "a service the standard does not have",
      services: `  PayOrder:\n    response: {}`,
      want: "services.PayOrder: no such service in the standard (see spec/services/)",
    },
    {
      name: "a hospital → platform service",
      services: `  RefundByHis:\n    response: {}`,
      want: "services.RefundByHis: RefundByHis goes from the hospital to the platform",
    },
    {
      name: "local paging of a service that is not paged",
      services: `  TestNet:\n    paging: { mode: local }\n    response: { systemTime: { from: t, format: unix } }`,
      want: "services.TestNet.paging: TestNet is not a paged service",
    },
    {
      name: "a GET with a body",
      services: `  TestNet:\n    transport: { method: GET, body: json }\n    response: { systemTime: { from: t, format: unix } }`,
      want: "services.TestNet.transport.body: a GET carries no body: use body: query",
    },
    {
      name: "an XML body without its root",
      services: `  TestNet:\n    transport: { body: xml }\n    response: { systemTime: { from: t, format: unix } }`,
      want: "services.TestNet.transport.xml.root: an XML body needs its root element's name",
    },
    {
      name: "a hook file that does not exist",
      services: `  TestNet:\n    hook: hooks/TestNet.ts\n    response: {}`,
      want: "services.TestNet.hook: no such file hooks/TestNet.ts beside the profile",
    },
    {
      name: "a path through __proto__",
      services: `  TestNet:\n    response: { systemTime: { from: __proto__.x, format: unix } }`,
      want: 'services.TestNet.response.systemTime.from: "__proto__.x" is not a usable path',
    },
    {
      name: "an unknown key (schema)",
      services: `  TestNet:\n    respons: {}`,
      want: 'profiles/bad.yaml: services.TestNet: unknown key "respons"',
    },
    {
      name: "an unknown money unit (schema)",
      services: `  TestNet:\n    response: { systemTime: { from: t, money: jiao } }`,
      want: "services.TestNet.response.systemTime.money: must be equal to one of the allowed values: yuan, yuanNumber, fen",
    },
  ];
  it.each(cases)("$name", ({ services, want }) => {
    expect(compile(head + services)).toContain(want);
  });

  it("a service without a success test, anywhere", () => {
    expect(compile(`name: bad\nservices:\n  TestNet:\n    response: { systemTime: { from: t, format: unix } }\n`)).toBe(
      "profiles/bad.yaml: services.TestNet.answer.success: how the HIS says success is required (here or in the profile's answer)",
    );
  });

  it("a hook makes unmapped required fields the hook's business", () => {
    expect(
      compile(head + `  CheckCard:\n    hook: hooks/CheckCard.ts\n    response: { cardStatus: { const: 0 } }`, [
        "hooks/CheckCard.ts",
      ]),
    ).toBe("");
  });

  it("YAML that does not parse names the line", () => {
    expect(compile(head + `  TestNet:\n    response: { a: [ }\n`)).toMatch(/^profiles\/bad\.yaml: line 5: /);
  });
});

describe("runtime: 元 ↔ 分 in exact decimal text", () => {
  it.each([
    ["12.5", "1250"],
    ["0.01", "1"],
    ["0.1", "10"],
    ["100", "10000"],
    ["19.995", "1999.5"],
    ["-3.20", "-320"],
    ["0", "0"],
    ["000.70", "70"],
    // 0.07 * 100 is 7.000000000000001 in floating point; text arithmetic has no such error.
    ["0.07", "7"],
    ["1.15", "115"],
    ["12,50", v.UNMAPPED],
    ["1e3", v.UNMAPPED],
  ])("%s 元 → %s 分", (yuan, fen) => expect(v.yuanToFen(yuan)).toBe(fen));

  it.each([
    ["1250", "12.50"],
    ["1", "0.01"],
    ["7", "0.07"],
    ["1999.5", "19.995"],
    ["0", "0.00"],
    ["-320", "-3.20"],
  ])("%s 分 → %s 元", (fen, yuan) => expect(v.fenToYuan(fen)).toBe(yuan));

  it("absent stays absent", () => expect(v.yuanToFen(undefined)).toBeUndefined());
});

describe("runtime: dates and times", () => {
  const p = v.pattern;
  it.each([
    ["08:00:00", "HH:mm:ss", "HH:mm", "08:00"],
    ["20240501", "yyyyMMdd", "yyyy-MM-dd", "2024-05-01"],
    ["2016-02-10 00:00:00.0", "yyyy-MM-dd HH:mm:ss.S", "yyyy-MM-dd HH:mm:ss", "2016-02-10 00:00:00"],
    ["1714492800", "unix", "yyyy-MM-dd HH:mm:ss", "2024-05-01 00:00:00"],
    ["2024-05-01", "yyyy-MM-dd", "unix", "1714492800"],
    ["1714492800000", "unixMs", "yyyyMMdd", "20240501"],
    ["2024-13-01", "yyyy-MM-dd", "yyyyMMdd", v.UNMAPPED],
    ["8:00:00", "HH:mm:ss", "HH:mm", v.UNMAPPED],
    ["2024-05-01x", "yyyy-MM-dd", "yyyyMMdd", v.UNMAPPED],
  ])("%s (%s) → %s", (value, from, to, want) => expect(v.convertDate(value, p(from), p(to), 480)).toBe(want));

  it("the weekday in the standard's words", () => {
    expect(v.weekday("20240501", p("yyyyMMdd"), 480)).toBe("星期三");
    expect(v.weekday("20240505", p("yyyyMMdd"), 480)).toBe("星期日");
  });
});

describe("runtime: rows", () => {
  it("groups in first-seen order; a row without its key stands alone", () => {
    const rows = [{ d: "1", x: 1 }, { d: "2", x: 2 }, { d: "1", x: 3 }, { x: 4 }];
    expect(v.group(rows, (r) => v.key(r.d)).map((g) => g.map((r) => r.x))).toEqual([[1, 3], [2], [4]]);
  });
  it("one object is a list of one; text is none", () => {
    expect(v.rows({ a: 1 })).toEqual([{ a: 1 }]);
    expect(v.rows("")).toEqual([]);
    expect(v.rows([{ a: 1 }, "x", null])).toEqual([{ a: 1 }]);
  });
  it("pages from 1", () => {
    expect(v.page([1, 2, 3, 4, 5], 2, 2)).toEqual([3, 4]);
    expect(v.page([1, 2, 3], 3, 2)).toEqual([]);
    expect(v.offsetOf(3, 10)).toBe(20);
  });
  it("only own properties are read", () => {
    expect(v.get({}, "constructor")).toBeUndefined();
    expect(v.get(JSON.parse('{"__proto__": {"x": 1}}'), "x")).toBeUndefined();
  });
});
