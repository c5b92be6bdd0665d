// Compiles one HIS profile into straight-line TypeScript typed against the generated contract types. Every
// mapping is checked against the spec first, so a profile that names a field the standard does not have, or
// gives it a value of the wrong type, fails here with `file: path: reason` rather than in a hospital's night.
import { patternUnits, pattern } from "../../runtime/profile/dates.js";
import { matchesFormat, type Format } from "../../runtime/validate.js";
import { allowedValues } from "./enum-values.js";
import { payloadTypeName } from "./naming.js";
import {
  isList,
  type Answer,
  type ListRule,
  type Mapping,
  type Predicate,
  type Profile,
  type Rule,
  type ScalarValue,
  type ServiceProfile,
  type Transport,
  type ValueRule,
} from "./profile-model.js";
import type { Dictionary, Field, Service, Spec } from "./model.js";
import { SpecError } from "./spec-error.js";

/** The standard's date/time formats as patterns; the other formats (time ranges) are left to hooks. */
const STANDARD_PATTERN: Partial<Record<Format, string>> = {
  date: "yyyy-MM-dd",
  time: "HH:mm",
  datetime: "yyyy-MM-dd HH:mm:ss",
};

export interface CompileOptions {
  /** Module specifier of a service's hook, from the generated file; undefined when the file does not exist. */
  hookModule(hook: string): string | undefined;
}

const lit = (v: unknown): string => JSON.stringify(v);
const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);

/** A service's transport and answer: the profile's defaults with the service's own on top, key by key. */
function mergeService(profile: Profile, s: ServiceProfile): { transport: Transport; answer: Answer } {
  return {
    transport: {
      ...profile.transport,
      ...s.transport,
      headers: { ...profile.transport?.headers, ...s.transport?.headers },
      xml: { ...profile.transport?.xml, ...s.transport?.xml },
      soap: {
        ...profile.transport?.soap,
        ...s.transport?.soap,
        args: { ...profile.transport?.soap?.args, ...s.transport?.soap?.args },
      },
    },
    answer: { ...profile.answer, ...s.answer },
  };
}

/** What a service of a profile says once the profile's defaults apply (`hisgate profile show`). */
export function effectiveService(profile: Profile, name: string): ServiceProfile {
  const s = profile.services[name]!;
  const { transport, answer } = mergeService(profile, s);
  return {
    transport: { method: "POST", path: `/${name}`, body: "json", ...transport },
    answer,
    ...(s.codes ? { codes: s.codes } : {}),
    ...(s.paging ? { paging: s.paging } : {}),
    ...(s.request ? { request: s.request } : {}),
    ...(s.query ? { query: s.query } : {}),
    ...(s.response ? { response: s.response } : {}),
    ...(s.hook ? { hook: s.hook } : {}),
  };
}

export function compileProfile(spec: Spec, file: string, profile: Profile, options: CompileOptions): string {
  const dictionaries = new Map(spec.dictionaries.map((d) => [d.name, d]));
  const fail = (path: string, reason: string): never => {
    throw new SpecError(file, path, reason);
  };

  // Module-level constants (value maps, marker sets, patterns), shared when identical.
  const consts = new Map<string, string>();
  const constant = (prefix: string, init: string): string => {
    const key = `${prefix}:${init}`;
    if (!consts.has(key))
      consts.set(key, `${prefix}_${[...consts.keys()].filter((k) => k.startsWith(prefix + ":")).length + 1}`);
    return consts.get(key)!;
  };
  const checkPattern = (source: string, at: string): void => {
    try {
      pattern(source);
    } catch (err) {
      fail(at, `pattern "${source}": ${(err as Error).message}`);
    }
  };
  const patternConst = (source: string, at: string): string => {
    checkPattern(source, at);
    return constant("PATTERN", `v.pattern(${lit(source)})`);
  };
  const converter = (kind: "dateConverter" | "rangeConverter", from: string, to: string): string =>
    constant("CONVERT", `v.${kind}(${lit(from)}, ${lit(to)}, ${tzMinutes})`);
  const tzMinutes = (() => {
    const m = /^([+-])(\d{2}):(\d{2})$/.exec(profile.timezone ?? "+08:00")!;
    return (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  })();

  const checkPath = (path: string, at: string): string[] => {
    if (path === ".") return [];
    const segs = path.split(".");
    for (const s of segs) if (s === "" || FORBIDDEN.has(s)) fail(at, `"${path}" is not a usable path`);
    return segs;
  };
  /** HIS-side access: own properties only, numeric segments index lists. */
  // Rows (r1, g1[0]) are objects already; anything else goes through v.obj. A constant key on an object is a
  // monomorphic property load: much cheaper than a helper taking the key as an argument.
  const hisAccess = (base: string, path: string, at: string): string =>
    checkPath(path, at).reduce(
      (e, s, i) => `${i === 0 && /^(r\d+|g\d+\[0\])$/.test(e) ? e : `v.obj(${e})`}[${/^\d+$/.test(s) ? s : lit(s)}]`,
      base,
    );

  const predicate = (p: Predicate, base: string, at: string): string => {
    const value = hisAccess(base, p.path, `${at}.path`);
    if (p.equals !== undefined) return `v.text(${value}) === ${lit(String(p.equals))}`;
    if (p.notEquals !== undefined) return `v.text(${value}) !== ${lit(String(p.notEquals))}`;
    if (p.in !== undefined)
      return `${constant("SET", `new Set<string | undefined>(${lit(p.in.map(String))})`)}.has(v.text(${value}))`;
    return `v.within(${value}, ${p.range!.min ?? "undefined"}, ${p.range!.max ?? "undefined"})`;
  };

  // ---------- checks of a constant against the standard's field ----------
  const checkValue = (f: Field, value: ScalarValue, at: string): void => {
    const numeric = f.type === "Int" || f.type === "Long" || f.type === "Decimal";
    if (f.type === "list") fail(at, `${f.name} is a list in the standard, not a value`);
    if (numeric && (typeof value !== "number" || ((f.type === "Int" || f.type === "Long") && !Number.isInteger(value))))
      fail(at, `${lit(value)} is not ${f.type === "Decimal" ? "a number" : "an integer"}; ${f.name} is ${f.type}`);
    if (f.type === "String" && typeof value !== "string")
      fail(at, `${lit(value)} is a number; ${f.name} is String (quote it)`);
    const allowed = allowedValues(f, dictionaries);
    if (allowed && !allowed.some((a) => a.value === value))
      fail(at, `${lit(value)} is not a value of ${f.name} (${allowed.map((a) => a.value).join(", ")})`);
    if (f.format && typeof value === "string" && !matchesFormat(value, f.format))
      fail(at, `${lit(value)} does not match ${f.name}'s format ${f.format}`);
    if (f.maxLength && typeof value === "string" && value.length > f.maxLength)
      fail(at, `${lit(value)} is longer than ${f.name}'s ${f.maxLength} characters`);
  };
  const numericField = (f: Field): boolean => f.type === "Int" || f.type === "Long" || f.type === "Decimal";
  const standardPattern = (f: Field, at: string, what: string): string => {
    const std = f.format && STANDARD_PATTERN[f.format];
    if (!std)
      return fail(
        at,
        f.format
          ? `${what} cannot convert to or from ${f.name}'s format ${f.format} (use a hook)`
          : `${f.name} has no date or time format in the standard`,
      );
    return std;
  };
  const needUnits = (from: string, to: string, at: string): void => {
    checkPattern(from, at);
    checkPattern(to, at);
    const have = patternUnits(from) ?? "";
    const want = patternUnits(to) ?? "";
    // Unix time from a date is that date's midnight.
    // A date to Unix time is that date's midnight; a time without seconds is at :00.
    const missing = [...want].filter(
      (u) => !have.includes(u) && u !== "s" && !("Hm".includes(u) && to.startsWith("unix")),
    );
    if (missing.length) fail(at, `"${from}" has no ${missing.join(", ")} to give "${to}"`);
  };

  const asValueRule = (r: Rule): ValueRule => (typeof r === "string" ? { from: r } : (r as ValueRule));

  // ---------- HIS → standard (answers) ----------
  const responseValue = (f: Field, rule: ValueRule, row: string, at: string): string => {
    if (rule.from !== undefined && rule.const !== undefined) fail(at, "give either from or const, not both");
    if (rule.number) fail(`${at}.number`, "number applies to requests");
    if (rule.const !== undefined) {
      checkValue(f, rule.const, `${at}.const`);
      return lit(rule.const);
    }
    if (rule.from === undefined) return fail(at, "give from (a path in the HIS answer) or const");
    const markers = rule.noValue ?? profile.noValue;
    let e =
      markers && markers.length
        ? `v.scalarOr(${hisAccess(row, rule.from, `${at}.from`)}, ${constant("NO_VALUE", `new Set<string>(${lit(markers)})`)})`
        : `v.scalar(${hisAccess(row, rule.from, `${at}.from`)})`;
    if (rule.map) {
      Object.entries(rule.map).forEach(([k, to]) => checkValue(f, to, `${at}.map.${k}`));
      if (rule.otherwise !== undefined) checkValue(f, rule.otherwise, `${at}.otherwise`);
      const table = constant("MAP", `new Map<string, string | number>(${lit(Object.entries(rule.map))})`);
      e = `v.lookup(${e}, ${table}${rule.otherwise !== undefined ? `, ${lit(rule.otherwise)}` : ""})`;
    }
    if (rule.money) {
      if (!numericField(f)) fail(`${at}.money`, `money applies to amounts; ${f.name} is ${f.type}`);
      if (rule.money !== "fen") e = `v.yuanToFen(${e})`;
    }
    if (rule.format !== undefined && rule.weekday !== undefined) fail(at, "give either format or weekday");
    if (rule.format !== undefined && (f.format === "timeRange" || f.format === "timeRangeCompact")) {
      // A range is two times joined by "-": the profile gives the HIS's whole range pattern ("HH:mm:ss-HH:mm:ss").
      const [one, two, ...more] = rule.format.split("-");
      if (one === undefined || one !== two || more.length)
        fail(
          `${at}.format`,
          `${f.name} is a time range: give the HIS's pattern as "<time>-<time>", e.g. "HH:mm:ss-HH:mm:ss"`,
        );
      const to = f.format === "timeRange" ? "HH:mm" : "HHmm";
      needUnits(one!, to, `${at}.format`);
      e = `${converter("rangeConverter", one!, to)}(${e})`;
    } else if (rule.format !== undefined) {
      const to = standardPattern(f, `${at}.format`, "format");
      needUnits(rule.format, to, `${at}.format`);
      e = `${converter("dateConverter", rule.format, to)}(${e})`;
    }
    if (rule.weekday !== undefined) {
      if (f.type !== "String") fail(`${at}.weekday`, `weekday gives text; ${f.name} is ${f.type}`);
      needUnits(rule.weekday, "yyyyMMdd", `${at}.weekday`);
      e = `v.weekday(${e}, ${patternConst(rule.weekday, `${at}.weekday`)}, ${tzMinutes})`;
    }
    if (rule.default !== undefined) {
      checkValue(f, rule.default, `${at}.default`);
      e = `(${e} ?? ${lit(rule.default)})`;
    }
    return e;
  };

  /** The object literal of one level of the standard's answer, from `row` (and the group's rows, if any). */
  const responseObject = (
    service: Service,
    fields: Field[],
    mapping: Mapping,
    listPath: string[],
    row: string,
    groupRows: string | undefined,
    at: string,
    depth: number,
    hooked: boolean,
    skip: ReadonlySet<string>,
  ): string => {
    const entries: string[] = [];
    for (const [name, rule] of Object.entries(mapping)) {
      const f = fields.find((x) => x.name === name);
      const here = `${at}.${name}`;
      if (!f)
        fail(
          here,
          `the standard's ${service.name} ${listPath.length ? `${listPath.join(".")} item` : "answer"} has no field ${name} (it has ${fields.map((x) => x.name).join(", ")})`,
        );
      if (skip.has(name)) fail(here, `${name} is computed by paging: local`);
      if (f!.type === "list") {
        if (!isList(rule)) fail(here, `${name} is a list in the standard: give each or groupBy, and fields`);
        entries.push(
          `${lit(name)}: ${responseList(service, f!, rule as ListRule, [...listPath, name], row, groupRows, here, depth, hooked)}`,
        );
      } else {
        if (isList(rule)) fail(here, `${name} is a ${f!.type} in the standard, not a list`);
        entries.push(`${lit(name)}: ${responseValue(f!, asValueRule(rule), row, here)}`);
      }
    }
    if (!hooked)
      for (const f of fields)
        if (f.required && !(f.name in mapping) && !skip.has(f.name))
          fail(`${at}.${f.name}`, `required by the standard and not mapped`);
    return `{ ${entries.join(", ")} }`;
  };

  const responseList = (
    service: Service,
    f: Field,
    rule: ListRule,
    listPath: string[],
    row: string,
    groupRows: string | undefined,
    at: string,
    depth: number,
    hooked: boolean,
  ): string => {
    let rows: string;
    if (rule.each !== undefined) rows = `v.rows(${hisAccess(row, rule.each, `${at}.each`)})`;
    else if (groupRows !== undefined) rows = groupRows;
    else return fail(at, "a list outside a group needs each: the path of the HIS's rows");
    const filters = rule.filter === undefined ? [] : Array.isArray(rule.filter) ? rule.filter : [rule.filter];
    const r = `r${depth + 1}`;
    if (filters.length)
      rows = `${rows}.filter((${r}) => ${filters.map((p, i) => predicate(p, r, `${at}.filter${Array.isArray(rule.filter) ? `[${i}]` : ""}`)).join(" && ")})`;
    const item = `v.Mapped<T.${payloadTypeName(service, "response", listPath)}>`;
    if (rule.groupBy !== undefined) {
      const keys = Array.isArray(rule.groupBy) ? rule.groupBy : [rule.groupBy];
      const keyExpr =
        keys.length === 1
          ? `v.text(${hisAccess(r, keys[0]!, `${at}.groupBy`)})`
          : `v.key(${keys.map((k, i) => hisAccess(r, k, `${at}.groupBy${Array.isArray(rule.groupBy) ? `[${i}]` : ""}`)).join(", ")})`;
      const g = `g${depth + 1}`;
      const body = responseObject(
        service,
        f.fields!,
        rule.fields,
        listPath,
        `${g}[0]`,
        g,
        `${at}.fields`,
        depth + 1,
        hooked,
        new Set(),
      );
      return `v.group(${rows}, (${r}) => ${keyExpr}).map((${g}): ${item} => (${body}))`;
    }
    const body = responseObject(
      service,
      f.fields!,
      rule.fields,
      listPath,
      r,
      `[${r}]`,
      `${at}.fields`,
      depth + 1,
      hooked,
      new Set(),
    );
    return `${rows}.map((${r}): ${item} => (${body}))`;
  };

  // ---------- standard → HIS (requests) ----------
  /** A standard request path: checked against the spec, spelled as typed property access. */
  const standardAccess = (fields: Field[], base: string, path: string, at: string): { expr: string; field: Field } => {
    const segs = checkPath(path, at);
    let level = fields;
    let expr = base;
    let field: Field | undefined;
    for (let i = 0; i < segs.length; i++) {
      const s = segs[i]!;
      if (/^\d+$/.test(s)) {
        if (field?.type !== "list") fail(at, `"${path}": an index follows only a list`);
        expr = `${expr}?.[${s}]`;
        continue;
      }
      if (field?.type === "list" && !/^\d+$/.test(segs[i - 1]!))
        fail(at, `"${path}": ${field.name} is a list; index it (${field.name}.0.${s})`);
      field = level.find((x) => x.name === s);
      if (!field)
        return fail(
          at,
          `the standard's request has no field ${s}${level.length ? ` (it has ${level.map((x) => x.name).join(", ")})` : ""}`,
        );
      expr = `${expr}${i === 0 ? "" : "?"}.${s}`;
      level = field.fields ?? [];
    }
    if (!field) return fail(at, `"${path}" names no field`);
    return { expr, field };
  };

  const requestValue = (fields: Field[], rule: ValueRule, base: string, at: string): string => {
    if (rule.noValue) fail(`${at}.noValue`, "noValue applies to answers");
    if (rule.weekday !== undefined) fail(`${at}.weekday`, "weekday applies to answers");
    if (rule.from !== undefined && rule.const !== undefined) fail(at, "give either from or const, not both");
    if (rule.const !== undefined) return lit(rule.const);
    if (rule.from === undefined) return fail(at, "give from (a field of the standard's request) or const");
    const { expr, field } = standardAccess(fields, base, rule.from, `${at}.from`);
    if (field.type === "list") fail(`${at}.from`, `${field.name} is a list: map it with each and fields`);
    let e = `v.scalar(${expr})`;
    if (rule.map) {
      const allowed = allowedValues(field, dictionaries);
      for (const k of Object.keys(rule.map))
        if (allowed && !allowed.some((a) => String(a.value) === k))
          fail(`${at}.map.${k}`, `${k} is not a value of ${field.name} (${allowed.map((a) => a.value).join(", ")})`);
      const table = constant("MAP", `new Map<string, string | number>(${lit(Object.entries(rule.map))})`);
      e = `v.lookup(${e}, ${table}${rule.otherwise !== undefined ? `, ${lit(rule.otherwise)}` : ""})`;
    }
    if (rule.money) {
      if (!numericField(field)) fail(`${at}.money`, `money applies to amounts; ${field.name} is ${field.type}`);
      if (rule.money === "yuan") e = `v.fenToYuan(${e})`;
      else if (rule.money === "yuanNumber") e = `v.num(v.fenToYuan(${e}))`;
    }
    if (rule.format !== undefined) {
      const from = standardPattern(field, `${at}.format`, "format");
      needUnits(from, rule.format, `${at}.format`);
      e = `${converter("dateConverter", from, rule.format)}(${e})`;
    }
    if (rule.number) e = `v.num(${e})`;
    if (rule.default !== undefined) e = `(${e} ?? ${lit(rule.default)})`;
    return e;
  };

  type Tree = Map<string, Tree | string>;
  const requestTree = (fields: Field[], mapping: Mapping, base: string, at: string, depth: number): Tree => {
    const tree: Tree = new Map();
    for (const [key, rule] of Object.entries(mapping)) {
      const here = `${at}.${key}`;
      const segs = checkPath(key, here);
      let node = tree;
      for (const s of segs.slice(0, -1)) {
        const next = node.get(s);
        if (typeof next === "string") fail(here, `${s} is already a value`);
        if (!next) node.set(s, new Map());
        node = node.get(s) as Tree;
      }
      const last = segs[segs.length - 1]!;
      if (node.has(last)) fail(here, `${key} is mapped twice`);
      if (isList(rule)) {
        if (rule.groupBy !== undefined || rule.filter !== undefined) fail(here, "groupBy and filter apply to answers");
        if (rule.each === undefined) fail(here, "a request list needs each: a list of the standard's request");
        const { expr, field } = standardAccess(fields, base, rule.each!, `${here}.each`);
        if (field.type !== "list") fail(`${here}.each`, `${field.name} is not a list`);
        const item = `u${depth + 1}`;
        const inner = requestTree(field.fields!, rule.fields, item, `${here}.fields`, depth + 1);
        node.set(last, `(${expr} ?? []).map((${item}) => (${printTree(inner)}))`);
      } else node.set(last, requestValue(fields, asValueRule(rule), base, here));
    }
    return tree;
  };
  const printTree = (tree: Tree): string =>
    `{ ${[...tree].map(([k, v]) => `${lit(k)}: ${typeof v === "string" ? v : printTree(v)}`).join(", ")} }`;

  // ---------- one service ----------
  const merged = (s: ServiceProfile) => mergeService(profile, s);

  const imports: string[] = [];
  const services: string[] = [];
  const names: string[] = [];
  const byName = new Map(spec.services.map((s) => [s.name, s]));

  for (const [name, sp] of Object.entries(profile.services)) {
    const at = `services.${name}`;
    const service = byName.get(name);
    if (!service) fail(at, `no such service in the standard (see spec/services/)`);
    if (service!.direction !== "platformToHospital")
      fail(at, `${name} goes from the hospital to the platform; a profile maps what the platform asks the HIS`);
    const s = service!;
    const { transport, answer } = merged(sp);
    const reqType = `T.${payloadTypeName(s, "request")}`;
    const resType = `T.${payloadTypeName(s, "response")}`;

    let hook: string | undefined;
    if (sp.hook !== undefined) {
      const spec = options.hookModule(sp.hook);
      if (!spec) fail(`${at}.hook`, `no such file ${sp.hook} beside the profile`);
      hook = `${name}Hook`;
      imports.push(`import ${hook}Module from ${lit(spec)};`);
      imports.push(`const ${hook}: v.Hook<${reqType}, ${resType}> = ${hook}Module;`);
    }

    // Request.
    const body = transport.body ?? "json";
    const method = transport.method ?? "POST";
    if (method === "GET" && body !== "query" && body !== "none")
      fail(`${at}.transport.body`, `a GET carries no body: use body: query`);
    const tree = requestTree(s.request.fields, sp.request ?? {}, "r", `${at}.request`, 0);
    const paging = sp.paging?.mode;
    if (paging && !s.request.fields.some((f) => f.name === "pageSize"))
      fail(`${at}.paging`, `${name} is not a paged service`);
    if (paging === "offset") {
      if (!sp.paging!.offset || !sp.paging!.limit)
        fail(`${at}.paging`, "offset paging names the HIS's offset and limit fields");
      tree.set(sp.paging!.offset!, `v.offsetOf(r.currentPage, r.pageSize)`);
      tree.set(sp.paging!.limit!, `r.pageSize`);
    }
    if (body === "none" && tree.size > 0) fail(`${at}.request`, "body: none sends no request fields");
    const queryTree = requestTree(s.request.fields, sp.query ?? {}, "r", `${at}.query`, 0);

    const pathTemplate = transport.path ?? "/{service}";
    const pathExpr =
      "`" +
      pathTemplate
        .replace(/\{([^}]*)\}/g, (_m, field: string) => {
          if (field === "service") return name;
          const { expr, field: f } = standardAccess(s.request.fields, "r", field, `${at}.transport.path`);
          if (f.type === "list") fail(`${at}.transport.path`, `${field} is a list`);
          return `\${v.segment(${expr})}`;
        })
        .replace(/`/g, "\\`") +
      "`";

    const headers: Record<string, string> = { ...transport.headers };
    let send: string;
    const lines: string[] = [`let his: v.Fields = ${printTree(tree)};`];
    if (hook) lines.push(`if (${hook}.request) his = ${hook}.request(his, r);`);
    let path = pathExpr;
    if (queryTree.size) path = `${path} + v.query(${printTree(queryTree)})`;
    switch (body) {
      case "json":
        headers["content-type"] = "application/json; charset=utf-8";
        send = "v.json(his)";
        break;
      case "form":
        headers["content-type"] = "application/x-www-form-urlencoded; charset=utf-8";
        send = "v.form(his)";
        break;
      case "xml": {
        if (!transport.xml?.root) fail(`${at}.transport.xml.root`, "an XML body needs its root element's name");
        headers["content-type"] = "application/xml; charset=utf-8";
        send = `v.xml(his, ${constant("XML", lit({ root: transport.xml!.root, cdata: transport.xml!.cdata ?? false, declaration: transport.xml!.declaration ?? true }))})`;
        break;
      }
      case "soap": {
        const soap = transport.soap!;
        for (const k of ["namespace", "operation", "payloadArg"] as const)
          if (!soap[k]) fail(`${at}.transport.soap.${k}`, `a SOAP call needs soap.${k}`);
        if (!transport.xml?.root)
          fail(`${at}.transport.xml.root`, "the SOAP call's XML argument needs its root element's name");
        headers["content-type"] = "text/xml; charset=utf-8";
        headers["soapaction"] = `"${soap.action ?? `${soap.namespace!.replace(/\/?$/, "/")}${soap.operation}`}"`;
        const inner = `v.xml(his, ${constant("XML", lit({ root: transport.xml!.root, cdata: transport.xml!.cdata ?? false, declaration: transport.xml!.declaration ?? false }))})`;
        const args = [
          ...Object.entries(soap.args ?? {}).map(([k, val]) => `[${lit(k)}, ${lit(String(val))}]`),
          `[${lit(soap.payloadArg)}, ${inner}]`,
        ];
        send = `v.soap([${args.join(", ")}], ${constant("SOAP", lit({ namespace: soap.namespace, operation: soap.operation }))})`;
        break;
      }
      case "query":
        send = "";
        path = `${path} + v.query(his)`;
        break;
      case "none":
        send = "";
        break;
    }
    lines.push(
      `return { method: ${lit(method)}, path: ${path}, headers: ${lit(headers)}${send ? `, body: ${send}` : ""} };`,
    );
    const request = `request(r: ${reqType}): v.HisRequest {\n${lines.join("\n")}\n}`;

    // Answer envelope.
    const fmt = answer.format ?? (body === "soap" ? "soap" : "json");
    const success =
      answer.success ??
      fail(`${at}.answer.success`, "how the HIS says success is required (here or in the profile's answer)");
    let parse: string;
    if (fmt === "json") parse = "v.parseJson(text)";
    else if (fmt === "xml") parse = "v.parseXml(text)";
    else {
      const soap = transport.soap ?? {};
      if (!soap.result && !soap.operation)
        fail(`${at}.transport.soap.result`, "a SOAP answer needs soap.result or soap.operation");
      const result = lit(soap.result ?? `${soap.operation}Result`);
      parse =
        answer.resultFormat === "json"
          ? `v.parseJson(v.soapResult(text, ${result}))`
          : `v.parseXml(v.soapResult(text, ${result}))`;
    }
    const codes = sp.codes ?? {};
    for (const [his, code] of Object.entries(codes))
      if (!s.resultCodes.some((c) => c.code === code))
        fail(
          `${at}.codes.${his}`,
          `${code} is not a business code of ${name} (${s.resultCodes.map((c) => c.code).join(", ") || "it has none"})`,
        );
    const codeTable = constant("CODES", `new Map<string, string>(${lit(Object.entries(codes))})`);
    const read = [
      `read(text: string): v.Reading {`,
      `const doc = ${parse};`,
      `const code = v.text(${hisAccess("doc", answer.code ?? success.path, `${at}.answer.code`)});`,
      `const message = ${answer.message ? `v.text(${hisAccess("doc", answer.message, `${at}.answer.message`)})` : "undefined"};`,
      // "Success, no data" first: a HIS may spell it outside its success test (resultCode 1 beside 0).
      ...(answer.empty
        ? [`if (${predicate(answer.empty, "doc", `${at}.answer.empty`)}) return { kind: "empty", code, message };`]
        : []),
      `if (!(${predicate(success, "doc", `${at}.answer.success`)})) return { kind: "failure", code, message, business: ${codeTable}.get(code ?? "") };`,
      `const data = ${answer.dataEncoding && answer.dataEncoding !== "none" ? `v.decodeData(${hisAccess("doc", answer.data ?? ".", `${at}.answer.data`)}, ${lit(answer.dataEncoding)})` : hisAccess("doc", answer.data ?? ".", `${at}.answer.data`)};`,
      `return { kind: "success", data, code, message };`,
      `}`,
    ].join("\n");

    // Answer data → the standard.
    let response: string;
    let empty: string;
    const responseFields = s.response?.fields ?? [];
    const topLists = responseFields.filter((f) => f.type === "list");
    if (!s.response) {
      if (sp.response && Object.keys(sp.response).length)
        fail(`${at}.response`, `${name} has no business answer in the standard`);
      response = `response(): v.Mapped<${resType}> {\nreturn {};\n}`;
      empty = `empty(): v.Mapped<${resType}> {\nreturn {};\n}`;
    } else {
      const local = paging === "local";
      if (local && (topLists.length !== 1 || !responseFields.some((f) => f.name === "count")))
        fail(`${at}.paging`, `local paging needs one list and count in ${name}'s answer`);
      const skip = new Set(local ? ["count"] : []);
      const obj = responseObject(
        s,
        responseFields,
        sp.response ?? {},
        [],
        "d",
        undefined,
        `${at}.response`,
        0,
        hook !== undefined,
        skip,
      );
      const body: string[] = [];
      if (local) {
        const list = topLists[0]!.name;
        body.push(`const all: v.Mapped<${resType}> = ${obj};`);
        body.push(`const rows = all[${lit(list)}] ?? [];`);
        body.push(
          `${hook ? "let" : "const"} out: v.Mapped<${resType}> = { ...all, count: rows.length, ${lit(list)}: v.page(rows, r.currentPage, r.pageSize) };`,
        );
      } else body.push(`${hook ? "let" : "const"} out: v.Mapped<${resType}> = ${obj};`);
      if (hook) body.push(`if (${hook}.response) out = ${hook}.response(out, d, r);`);
      body.push("return out;");
      const usesRequest = body.join("\n").includes("r.") || hook !== undefined;
      response = `response(d: unknown, ${usesRequest ? "r" : "_r"}: ${reqType}): v.Mapped<${resType}> {\n${body.join("\n")}\n}`;
      const zero = [
        ...(responseFields.some((f) => f.name === "count") ? ["count: 0"] : []),
        ...topLists.map((f) => `${lit(f.name)}: []`),
      ];
      // Zero rows: whatever the mapping gives without data (constants, defaults), with count 0 and empty lists.
      empty = `empty(r: ${reqType}): v.Mapped<${resType}> {\nreturn { ...${name}.response(undefined, r), ${zero.join(", ")} };\n}`;
    }

    services.push(
      `const ${name}: v.CompiledService<${reqType}, ${resType}> = {\n${request},\n${read},\n${response},\n${empty},\n};`,
    );
    names.push(name);
  }

  const constLines = [...consts].map(([key, id]) => `const ${id} = ${key.slice(key.indexOf(":") + 1)};`);
  return [
    `import * as v from ${lit("RUNTIME")};`,
    `import type * as T from ${lit("TYPES")};`,
    ...imports,
    "",
    ...constLines,
    "",
    ...services,
    "",
    `/** ${profile.description?.split("\n")[0] ?? profile.name} */`,
    `export const profile: v.CompiledProfile = { name: ${lit(profile.name)}, services: { ${names.join(", ")} } };`,
  ].join("\n");
}

export type { Dictionary };
