// KY-HIS's own vocabulary (API.md §1): its code tables, units and formats, and how they meet the demo hospital's
// records, which speak the standard's values. Each table is written once and read both ways.
import type {
  CardTypeValue,
  CertificateTypeValue,
  ChannelTypeValue,
  NoonValue,
  ProfessionOfficeValue,
  ProfessionTitleValue,
  SexValue,
  UserRuleValue,
} from "../../../generated/enums.js";

/** A request KY-HIS refuses before it reaches the records: a missing or malformed parameter (REST 1001, SOAP -1). */
export class ParamError extends Error {}

/** A two-way code table: KY-HIS's code <-> the standard's value. */
export class CodeTable<L extends string, S extends string | number> {
  private readonly toStd: ReadonlyMap<string, S>;
  private readonly toLegacy: ReadonlyMap<S, L>;
  constructor(
    readonly name: string,
    pairs: readonly (readonly [L, S])[],
    /** Standard values with no code of their own, written as another's (sex 9 其他 -> U). */
    aliases: readonly (readonly [S, L])[] = [],
  ) {
    this.toStd = new Map(pairs);
    this.toLegacy = new Map([...pairs.map(([l, s]) => [s, l] as const), ...aliases]);
  }
  /** The standard's value of a KY-HIS code; a code outside the table is a parameter error. */
  std(code: string): S {
    const value = this.toStd.get(code);
    if (value === undefined) throw new ParamError(`${this.name} 取值不正确：${code.slice(0, 16)}`);
    return value;
  }
  /** KY-HIS's code of a standard value ("" where it has none). */
  legacy(value: S | undefined): L | "" {
    return value === undefined ? "" : (this.toLegacy.get(value) ?? "");
  }
}

export const SEX = new CodeTable<"M" | "F" | "U", SexValue>(
  "sex",
  [
    ["M", 1],
    ["F", 2],
    ["U", 0],
  ],
  [[9, "U"]],
);

export const ID_TYPE = new CodeTable<string, CertificateTypeValue>("id_type", [
  ["01", 1],
  ["02", 2],
  ["03", 3],
  ["04", 4],
  ["05", 5],
  ["06", 6],
  ["07", 7],
  ["08", 8],
  ["99", 9],
]);

export const CARD_TYPE = new CodeTable<string, CardTypeValue>("card_type", [
  ["JKK", 1],
  ["SBK", 2],
  ["YBK", 3],
  ["YHK", 4],
  ["GFZ", 5],
  ["NHZ", 6],
  ["JZK", 7],
  ["TXM", 8],
  ["QT", 99],
]);

export const CHANNEL = new CodeTable<string, ChannelTypeValue>("channel_code", [
  ["WX", 1],
  ["ZFB", 2],
  ["APP", 3],
  ["WEB", 4],
  ["WY", 5],
  ["CK", 6],
  ["ZZJ", 9],
  ["QT", 99],
]);

export const NOON = new CodeTable<string, NoonValue>("noon_name", [
  ["上午", 1],
  ["下午", 2],
  ["晚上", 3],
  ["全天", 4],
]);

export const TITLE = new CodeTable<string, ProfessionTitleValue>("title_name", [
  ["主任医师", 231],
  ["副主任医师", 232],
  ["主治医师", 233],
  ["医师", 234],
  ["医士", 235],
]);

export const TITLE_LEVEL = new CodeTable<string, ProfessionOfficeValue>("title_level", [
  ["正高", 1],
  ["副高", 2],
  ["中级", 3],
  ["初级", 4],
  ["士级", 5],
]);

export const REG_LEVEL = new CodeTable<string, 1 | 2 | 3 | 4 | 5 | 6>("reg_level", [
  ["普通", 1],
  ["专家", 2],
  ["急诊", 3],
  ["专病", 4],
  ["特需", 5],
  ["膏方", 6],
]);

/** 排班状态: KY-HIS counts 0 as 正常 where the standard's 0 is 停诊. */
export const SCHEDULE_STATE = new CodeTable<"0" | "1" | "2", 0 | 1 | 2>("state", [
  ["0", 1],
  ["1", 0],
  ["2", 2],
]);

/** 患者查询方式 -> the standard's user rule id. */
export const QUERY_TYPE = new CodeTable<string, UserRuleValue>("query_type", [
  ["1", "certifcate"],
  ["2", "card"],
  ["3", "medicalNo"],
  ["4", "id"],
  ["5", "parentCertifcate"],
]);

/** register/query's status filter -> QueryRegister's queryType. */
export const ORDER_STATUS = new CodeTable<string, 0 | 1 | 2 | 3 | 4 | 5>("status", [
  ["ALL", 0],
  ["CANCELLED", 1],
  ["UNPAID", 2],
  ["PAID", 3],
  ["STOPPED", 4],
  ["UNTAKEN", 5],
]);

export const yn = (flag: boolean): "Y" | "N" => (flag ? "Y" : "N");

// ---------------------------------------------------------------------------------------------------------------
// Money: KY-HIS counts 元 with two decimals; the records count 分. Text arithmetic only, never a float.

const YUAN = /^(0|[1-9]\d{0,9})(?:\.(\d{1,2}))?$/;

/** 元 (a string or a number, at most two decimals) -> 分. */
export function fenOf(value: unknown, name: string): number {
  const text = typeof value === "number" && Number.isFinite(value) ? String(value) : value;
  const m = typeof text === "string" ? YUAN.exec(text.trim()) : null;
  if (!m) throw new ParamError(`${name} 应为金额（元，最多两位小数）`);
  return Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
}

/** 分 -> 元 with two decimals ("29.00"). */
export function yuanOf(fen: number): string {
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(Math.round(fen));
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Dates and times: yyyyMMdd, HH:mm:ss, HH:mm:ss-HH:mm:ss, Unix seconds (Asia/Shanghai, UTC+8).

/** YYYY-MM-DD -> yyyyMMdd ("" stays ""). */
export const compactDate = (date: string | undefined): string => (date ? date.replaceAll("-", "") : "");

/** yyyyMMdd -> YYYY-MM-DD, refusing what is not a calendar date. */
export function isoDate(value: string, name: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  const iso = m ? `${m[1]}-${m[2]}-${m[3]}` : "";
  if (!m || new Date(`${iso}T00:00:00Z`).toISOString().slice(0, 10) !== iso)
    throw new ParamError(`${name} 应为日期 yyyyMMdd`);
  return iso;
}

/** HH:MI -> HH:mm:ss ("" stays ""). */
export const longTime = (time: string | undefined): string => (time ? `${time.slice(0, 5)}:00` : "");

/** HH:mm:ss -> HH:MI. */
export function shortTime(value: string, name: string): string {
  if (!/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/.test(value)) throw new ParamError(`${name} 应为时间 HH:mm:ss`);
  return value.slice(0, 5);
}

/** "HH:MI-HH:MI" or "HHMI-HHMI" -> "HH:mm:ss-HH:mm:ss" ("" stays ""). */
export function longRange(range: string | undefined): string {
  const m = range ? /^(\d{2}):?(\d{2})-(\d{2}):?(\d{2})$/.exec(range) : null;
  return m ? `${m[1]}:${m[2]}:00-${m[3]}:${m[4]}:00` : "";
}

/** yyyy-MM-dd HH:mm:ss, checked. */
export function datetime(value: string, name: string): string {
  if (!/^\d{4}-\d{2}-\d{2} ([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/.test(value))
    throw new ParamError(`${name} 应为时间 yyyy-MM-dd HH:mm:ss`);
  return value;
}

const OFFSET_MS = 8 * 3600_000;

/** Unix seconds -> the Beijing date they fall on. */
export function dateOfUnix(seconds: number): string {
  return new Date(seconds * 1000 + OFFSET_MS).toISOString().slice(0, 10);
}

/** A Beijing date's midnight, in Unix seconds. */
export const unixOfDate = (date: string): number => (Date.parse(`${date}T00:00:00Z`) - OFFSET_MS) / 1000;

// ---------------------------------------------------------------------------------------------------------------
// Parameters: a JSON object (REST) or the children of <params> (SOAP), read by name with KY-HIS's rules.

export class Params {
  constructor(private readonly values: Record<string, unknown>) {}

  static of(value: unknown): Params {
    if (typeof value !== "object" || value === null || Array.isArray(value))
      throw new ParamError("请求参数应为一个对象");
    return new Params(value as Record<string, unknown>);
  }

  /** Text, trimmed; "" and absent are the same. Numbers are taken as their text (XML has no types). */
  text(name: string, required: true, max?: number): string;
  text(name: string, required?: false, max?: number): string | undefined;
  text(name: string, required = false, max = 256): string | undefined {
    const raw = this.values[name];
    const value = typeof raw === "number" && Number.isFinite(raw) ? String(raw) : raw;
    if (value !== undefined && value !== null && typeof value !== "string")
      throw new ParamError(`参数 ${name} 应为字符串`);
    const text = value?.trim() ?? "";
    if (text.length > max) throw new ParamError(`参数 ${name} 超过 ${max} 个字符`);
    if (text === "") {
      if (required) throw new ParamError(`缺少参数 ${name}`);
      return undefined;
    }
    return text;
  }

  /** A whole number within bounds. */
  int(name: string, min: number, max: number): number {
    const raw = this.values[name];
    if (raw === undefined || raw === null || raw === "") throw new ParamError(`缺少参数 ${name}`);
    const n = typeof raw === "string" && /^-?\d{1,12}$/.test(raw.trim()) ? Number(raw) : raw;
    if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max)
      throw new ParamError(`参数 ${name} 应为 ${min} 到 ${max} 之间的整数`);
    return n;
  }

  fen(name: string): number {
    if (this.values[name] === undefined || this.values[name] === "") throw new ParamError(`缺少参数 ${name}`);
    return fenOf(this.values[name], name);
  }

  date(name: string, required: true): string;
  date(name: string, required?: false): string | undefined;
  date(name: string, required = false): string | undefined {
    const text = required ? this.text(name, true, 8) : this.text(name, false, 8);
    return text === undefined ? undefined : isoDate(text, name);
  }

  datetime(name: string): string {
    return datetime(this.text(name, true, 19), name);
  }

  code<S extends string | number>(name: string, table: CodeTable<string, S>, required: true): S;
  code<S extends string | number>(name: string, table: CodeTable<string, S>, required?: false): S | undefined;
  code<S extends string | number>(name: string, table: CodeTable<string, S>, required = false): S | undefined {
    const text = required ? this.text(name, true, 16) : this.text(name, false, 16);
    return text === undefined ? undefined : table.std(text);
  }

  /** A platform dictionary number passed through as it is (payType, payChannel …). */
  number<S extends number>(name: string): S {
    return this.int(name, 0, 99_999) as S;
  }
}
