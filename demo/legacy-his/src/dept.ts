// KY-HIS's master-data service (API.md §3): UPPERCASE XML, <PARAMETER> in, <RESPONSE><STATE><MSG><DATA><RECORD> out,
// STATE <= 0 an error, retired departments still listed with FLAG 0, "0000" for "no parent department".
import { Hono } from "hono";
import { ensureSeeded, shanghaiNow, values, type Department, type Store } from "../../his/src/data.js";
import type { LegacyEnv } from "./env.js";
import { ParamError } from "./wire.js";
import { childrenOf, DECLARATION, readXml, writeXml } from "./xml.js";

const NO_PARENT = "0000";

/** Departments the hospital has retired: kept in the master data for old records, never offered for booking. */
const RETIRED: readonly Record<string, string>[] = [
  retired("0103", "感染科（已并入消化内科）", "01", 2),
  retired("04", "中医科（停用）", NO_PARENT, 1),
  retired("0401", "针灸科（停用）", "04", 2),
];

function retired(id: string, name: string, parent: string, level: 1 | 2): Record<string, string> {
  return {
    DEPTID: id,
    DEPTNAME: name,
    PARENTID: parent,
    DEPTLEVEL: String(level),
    DEPTINTRO: "",
    DEPTSPECIAL: "",
    ADDRESS: "",
    TEL: "",
    NOTICE: "",
    FLAG: "0",
  };
}

function records(store: Store): Record<string, string>[] {
  const all = values<Department>(store, "dept:");
  const ids = new Set(all.map((d) => d.id));
  const active = all.map((d) => ({
    DEPTID: d.id,
    DEPTNAME: d.name,
    PARENTID: ids.has(d.parentId) ? d.parentId : NO_PARENT,
    DEPTLEVEL: String(d.level),
    DEPTINTRO: d.introduction,
    DEPTSPECIAL: d.expertise,
    ADDRESS: d.location,
    TEL: d.telephone,
    NOTICE: d.rule,
    FLAG: "1",
  }));
  return [...active, ...RETIRED].sort((a, b) => a.DEPTID!.localeCompare(b.DEPTID!));
}

const respond = (state: number, message: string, rows: Record<string, string>[] = []): string =>
  DECLARATION + writeXml({ RESPONSE: { STATE: state, MSG: message, DATA: rows.length ? { RECORD: rows } : "" } });

/** The answer to a QueryDept request body. */
export function queryDept(body: string, store: Store): string {
  let deptId: string;
  try {
    const parameter = childrenOf(readXml(body).PARAMETER);
    if (!parameter) throw new ParamError("根元素应为 PARAMETER");
    const raw = parameter.DEPTID ?? "";
    if (typeof raw !== "string") throw new ParamError("DEPTID 应为文本");
    deptId = raw.trim();
  } catch (err) {
    if (err instanceof ParamError) return respond(-1, `参数错误：${err.message}`);
    throw err;
  }
  ensureSeeded(store, shanghaiNow());
  const rows = records(store).filter((r) => !deptId || r.DEPTID === deptId);
  return rows.length ? respond(1, "成功", rows) : respond(0, "未查询到科室");
}

export const dept = new Hono<LegacyEnv>();

const XML = { "content-type": "text/xml; charset=utf-8" };

dept.post("/his/xml/QueryDept", async (c) => c.body(queryDept(await c.req.text(), c.env.store), 200, XML));

dept.onError((err, c) => {
  console.error(JSON.stringify({ level: "error", event: "legacy_his.error", surface: "xml", message: err.message }));
  return c.body(respond(-9, "系统异常"), 200, XML);
});
