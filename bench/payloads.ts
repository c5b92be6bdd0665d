// Realistic business payloads for the benchmarks, hand-built from the tables of spec/services/*.yaml (field names,
// types, lengths, dictionaries): Chinese names and addresses, real dates, fees in 分 with two decimals. Plain
// Node: no Vite (test/support/samples.ts needs import.meta.glob), no worker helpers to build them.
//
// `typed` is what the HIS sends or receives (numbers as numbers); `wireXml` / `wireJson` are what the platform
// sends: every value as text, XML with every value in CDATA (§1.3), JSON with every value a string.

export type Typed = Record<string, unknown>;
export type Kind = "request" | "response";

export interface BenchPayload {
  /** Case label, e.g. "QueryRegister-100". */
  name: string;
  service: string;
  kind: Kind;
  /** The gateway's natural direction for this payload (requests come in, responses go out). */
  natural: "inbound" | "outbound";
  typed: Typed;
}

const SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈";
const GIVEN = [
  "伟",
  "芳",
  "娜",
  "秀英",
  "敏",
  "静",
  "丽",
  "强",
  "磊",
  "军",
  "洋",
  "勇",
  "艳",
  "杰",
  "娟",
  "涛",
  "明",
  "超",
  "秀兰",
  "霞",
  "平",
  "刚",
  "桂英",
  "建华",
  "志强",
  "海燕",
  "晓东",
  "丹丹",
  "子涵",
  "浩然",
];
const DEPARTMENTS = [
  "心血管内科",
  "呼吸内科",
  "消化内科",
  "神经内科",
  "内分泌科",
  "普外科",
  "骨科",
  "泌尿外科",
  "妇科",
  "产科",
  "儿科",
  "眼科",
  "耳鼻咽喉科",
  "口腔科",
  "皮肤科",
  "中医科",
];
const STREETS = ["解放路", "人民路", "中山路", "建设路", "文化路", "和平路", "长江路", "黄河路"];
const CITIES = ["长沙市岳麓区", "武汉市武昌区", "杭州市西湖区", "成都市锦江区", "南京市鼓楼区", "广州市天河区"];
const WEEKDAYS = ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"];

/** A small deterministic PRNG, so every run benchmarks the same bytes. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");
const ymd = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
const ymdhms = (d: Date) => `${ymd(d)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
const addDays = (d: Date, n: number) => new Date(d.getTime() + n * 86_400_000);
const addSeconds = (d: Date, n: number) => new Date(d.getTime() + n * 1000);

const BASE = new Date(Date.UTC(2026, 2, 16, 8, 0, 0)); // Monday 2026-03-16

function personName(r: () => number): string {
  return SURNAMES[Math.floor(r() * SURNAMES.length)]! + GIVEN[Math.floor(r() * GIVEN.length)]!;
}
function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}
function idCard(r: () => number, birthday: string, sex: number): string {
  const seq = 100 + Math.floor(r() * 899);
  const body = `430104${birthday.replaceAll("-", "")}${seq}${sex === 1 ? 1 : 2}`.slice(0, 17);
  return `${body}${Math.floor(r() * 10)}`;
}
function mobile(r: () => number): string {
  return `1${pick(r, ["38", "39", "58", "59", "86", "87"])}${pad(Math.floor(r() * 1e8), 8)}`;
}
function birthday(r: () => number): string {
  return ymd(new Date(Date.UTC(1950 + Math.floor(r() * 65), Math.floor(r() * 12), 1 + Math.floor(r() * 28))));
}

export function testNetRequest(): Typed {
  return { ip: "10.12.168.201" };
}

export function testNetResponse(): Typed {
  return { systemTime: "2026-03-16 09:30:12" };
}

export function orderRegisterRequest(): Typed {
  const r = rng(7);
  const sex = 2;
  const born = "1986-05-21";
  return {
    orderId: "WX202603160930120001",
    hospitalLockId: "LK2026031600318",
    channelId: 1,
    scheduleId: "SCH20260318-0412-1",
    timeId: "T0412-0930",
    departmentId: "0412",
    doctorId: "D10027",
    registerDate: "2026-03-18",
    noon: 1,
    startTime: "09:30",
    endTime: "10:00",
    registerFee: 1000.0,
    treatFee: 2500.0,
    serviceFee: 0,
    otherFee: 0,
    clinicNo: "23",
    registerType: 2,
    patientName: "陈秀英",
    patientMobile: "13874125896",
    patientBirthday: born,
    patientSex: sex,
    patientFlag: 0,
    agentId: "WX-AGENT-017",
    orderTime: "2026-03-16 09:30:12",
    group: [
      {
        flag: 0,
        rule: [
          { id: "certifcate", type: "1", value: idCard(r, born, sex) },
          { id: "name", value: "陈秀英" },
          { id: "mobile", value: "13874125896" },
          { id: "card", type: "7", value: "0008812345" },
        ],
      },
    ],
  };
}

/** A query by patient (user rules) over one month: the request behind a QueryRegister answer of many orders. */
export function queryRegisterRequest(): Typed {
  return {
    user: [
      { id: "certifcate", type: "1", value: "430104198605213128" },
      { id: "name", value: "陈秀英" },
    ],
    startDate: "2026-03-01",
    endDate: "2026-03-31",
    queryType: 0,
    currentPage: 1,
    pageSize: 100,
  };
}

export function queryRegisterResponse(orders = 100): Typed {
  const r = rng(100);
  const order: Typed[] = [];
  for (let i = 0; i < orders; i++) {
    const dept = pick(r, DEPARTMENTS);
    const registerDate = addDays(BASE, Math.floor(r() * 28) - 14);
    const orderTime = addSeconds(addDays(registerDate, -3), Math.floor(r() * 36_000));
    const noon = r() < 0.6 ? 1 : 2;
    const startHour = noon === 1 ? 8 + Math.floor(r() * 3) : 14 + Math.floor(r() * 3);
    const isPay = r() < 0.8 ? 1 : 0;
    const isRefund = isPay && r() < 0.1 ? 1 : 0;
    const sex = r() < 0.5 ? 1 : 2;
    const born = birthday(r);
    const registerFee = pick(r, [500, 1000, 1500, 3000]);
    const treatFee = pick(r, [0, 1000, 2500, 5000]);
    const serviceFee = pick(r, [0, 200]);
    const total = registerFee + treatFee + serviceFee;
    const name = personName(r);
    order.push({
      orderId: `WX2026${pad(i, 6)}${pad(Math.floor(r() * 1e6), 6)}`,
      hospitalOrderId: `HO${ymd(registerDate).replaceAll("-", "")}${pad(i, 5)}`,
      ...(isPay ? { hospitalTradeId: `HT${ymd(registerDate).replaceAll("-", "")}${pad(i, 5)}` } : {}),
      ...(isPay ? { receiptId: `FP${pad(Math.floor(r() * 1e8), 8)}` } : {}),
      visitNo: `MZ${pad(Math.floor(r() * 1e9), 9)}`,
      channelId: pick(r, [1, 2, 3]),
      scheduleId: `SCH${pad(i, 4)}-${pad(Math.floor(r() * 1e4), 4)}`,
      timeId: `T${pad(startHour)}${pick(r, ["00", "30"])}`,
      departmentId: pad(DEPARTMENTS.indexOf(dept) + 401, 4),
      departmenName: dept,
      doctorId: `D${pad(10000 + Math.floor(r() * 90), 5)}`,
      doctorName: personName(r),
      registerDate: ymd(registerDate),
      noon,
      startTime: `${pad(startHour)}:00`,
      endTime: `${pad(startHour)}:30`,
      clinicNo: String(1 + Math.floor(r() * 60)),
      visitAddress: `门诊大楼${pick(r, ["二", "三", "四", "五"])}楼${dept}${1 + Math.floor(r() * 6)}诊室`,
      getTime: `${pad(startHour - 1)}:30-${pad(startHour)}:30`,
      registerFee,
      treatFee,
      serviceFee,
      otherFee: 0,
      totalFee: total,
      realFee: isPay ? total : 0,
      orderTime: ymdhms(orderTime),
      isPay,
      ...(isPay ? { payTime: ymdhms(addSeconds(orderTime, 95)) } : {}),
      isTake: isPay && r() < 0.5 ? 1 : 0,
      isCancel: isRefund,
      isRefund,
      refundlFee: isRefund ? total : 0,
      isStop: 0,
      ...(isRefund ? { cancelTime: ymdhms(addSeconds(orderTime, 7200)) } : {}),
      noshow: 0,
      patientId: `P${pad(Math.floor(r() * 1e9), 10)}`,
      medicalNo: `BL${pad(Math.floor(r() * 1e8), 8)}`,
      certifcateType: 1,
      certifcateNo: idCard(r, born, sex),
      cardType: 7,
      cardNo: pad(Math.floor(r() * 1e10), 10),
      patientName: name,
      patientSex: sex,
      patientBirthday: born,
      patientAddress: `${pick(r, CITIES)}${pick(r, STREETS)}${1 + Math.floor(r() * 300)}号`,
      patientMobile: mobile(r),
      ...(r() < 0.2 ? { remark: "请提前15分钟到诊室外候诊" } : {}),
    });
  }
  return { count: orders, order };
}

export function getScheduleInfoResponse(doctors = 20, days = 7): Typed {
  const r = rng(20);
  const schedule: Typed[] = [];
  for (let d = 0; d < doctors; d++) {
    const doctorId = `D${10000 + d}`;
    const level = pick(r, [1, 2, 2, 5]);
    const dept = pick(r, DEPARTMENTS);
    const date: Typed[] = [];
    for (let k = 0; k < days; k++) {
      const day = addDays(BASE, k);
      const registerDate = ymd(day);
      const noon: Typed[] = [1, 2].map((n) => {
        const total = pick(r, [20, 30, 40, 99]);
        return {
          id: `SCH${registerDate.replaceAll("-", "")}-${doctorId}-${n}`,
          noon: n,
          startTime: n === 1 ? "08:00" : "14:00",
          endTime: n === 1 ? "12:00" : "17:30",
          status: r() < 0.95 ? 1 : 0,
          totalCount: total,
          remainCount: Math.floor(r() * total),
          registerFee: level === 1 ? 500 : 1500,
          treatFee: level === 1 ? 1000 : 3000,
          serviceFee: 0,
          otherFee: 0,
          level,
          sexLimit: dept === "妇科" || dept === "产科" ? 2 : 0,
          ageLimitMax: dept === "儿科" ? 14 : 150,
          ageLinitMin: 0,
          visitAddress: `门诊大楼${pick(r, ["二", "三", "四"])}楼${dept}`,
          takeAddress: "门诊大厅自助机",
          takeTime: n === 1 ? "0730-1130" : "1330-1700",
          clinicNo: "1，2，3，5，8",
          updateTime: ymdhms(addDays(day, -1)),
          isTime: 1,
        };
      });
      date.push({ registerDate, weekday: WEEKDAYS[day.getUTCDay()]!, noon });
    }
    schedule.push({ doctorId, doctorName: personName(r), date });
  }
  return { count: doctors, schedule };
}

export const PAYLOADS: BenchPayload[] = [
  { name: "TestNet request", service: "TestNet", kind: "request", natural: "inbound", typed: testNetRequest() },
  { name: "TestNet response", service: "TestNet", kind: "response", natural: "outbound", typed: testNetResponse() },
  {
    name: "OrderRegister request",
    service: "OrderRegister",
    kind: "request",
    natural: "inbound",
    typed: orderRegisterRequest(),
  },
  {
    name: "QueryRegister-100 response",
    service: "QueryRegister",
    kind: "response",
    natural: "outbound",
    typed: queryRegisterResponse(100),
  },
  {
    name: "GetScheduleInfo-20x7x2 response",
    service: "GetScheduleInfo",
    kind: "response",
    natural: "outbound",
    typed: getScheduleInfoResponse(20, 7),
  },
];

/** The platform's wire text of a typed value: every scalar a string, lists as arrays. */
export function toWireText(value: Typed): Typed {
  const out: Typed = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = Array.isArray(v) ? v.map((item) => toWireText(item as Typed)) : String(v);
  }
  return out;
}

const cdata = (v: string) => `<![CDATA[${v}]]>`;

/** XML with every value in CDATA, no whitespace between elements (independent of the worker's writer). */
export function toWireXml(root: string, value: Typed): string {
  const body = (v: Typed): string => {
    let out = "";
    for (const [k, x] of Object.entries(v)) {
      if (Array.isArray(x)) for (const item of x) out += `<${k}>${body(item as Typed)}</${k}>`;
      else out += `<${k}>${cdata(String(x))}</${k}>`;
    }
    return out;
  };
  return `<${root}>${body(value)}</${root}>`;
}
