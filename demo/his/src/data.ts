// The demo hospital's records and their storage. One Durable Object per hospitalCode holds them in its SQLite-backed
// storage through the synchronous KV API (ctx.storage.kv); tests use memoryStore(), which behaves the same.
import type {
  CardTypeValue,
  CertificateTypeValue,
  ChannelTypeValue,
  NoonValue,
  PayTypeValue,
  ProfessionOfficeValue,
  ProfessionTitleValue,
  SexValue,
} from "../../../generated/enums.js";
import type { QueryRegisterResponseOrder } from "../../../generated/types.js";

/** The subset of SyncKvStorage the demo uses; a SQLite-backed Durable Object's ctx.storage.kv satisfies it. */
export interface Store {
  get<T = unknown>(key: string): T | undefined;
  put<T>(key: string, value: T): void;
  delete(key: string): boolean;
  list<T = unknown>(options?: { prefix?: string }): Iterable<[string, T]>;
}

/** An in-memory Store with the storage's copy semantics (values are cloned in and out). */
export function memoryStore(): Store {
  const map = new Map<string, unknown>();
  return {
    get: <T>(key: string) => (map.has(key) ? structuredClone(map.get(key) as T) : undefined),
    put: (key, value) => void map.set(key, structuredClone(value)),
    delete: (key) => map.delete(key),
    *list<T>(options: { prefix?: string } = {}) {
      const prefix = options.prefix ?? "";
      for (const key of [...map.keys()].sort())
        if (key.startsWith(prefix)) yield [key, structuredClone(map.get(key)) as T] as [string, T];
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Time: the hospital lives in Asia/Shanghai (UTC+8 all year, no DST).

const OFFSET_MS = 8 * 3600_000;

export interface Now {
  ms: number;
  date: string; // YYYY-MM-DD
  time: string; // HH:MI
  datetime: string; // YYYY-MM-DD HH:MI:SS
}

export function shanghaiNow(ms = Date.now()): Now {
  const iso = new Date(ms + OFFSET_MS).toISOString();
  return { ms, date: iso.slice(0, 10), time: iso.slice(11, 16), datetime: `${iso.slice(0, 10)} ${iso.slice(11, 19)}` };
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const dayOfWeek = (date: string): number => new Date(`${date}T00:00:00Z`).getUTCDay();
export const weekdayName = (date: string): string => `星期${"日一二三四五六"[dayOfWeek(date)]}`;

/** Whole years between a birthday and a date. */
export function ageOn(birthday: string, date: string): number {
  const years = Number(date.slice(0, 4)) - Number(birthday.slice(0, 4));
  return date.slice(5) < birthday.slice(5) ? years - 1 : years;
}

/** FNV-1a: deterministic "randomness" so a reseeded demo looks the same. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

// ---------------------------------------------------------------------------------------------------------------
// Records

export interface Department {
  id: string;
  name: string;
  parentId: string;
  level: 1 | 2;
  introduction: string;
  expertise: string;
  location: string;
  telephone: string;
  rule: string;
  sexLimit?: 1 | 2;
  ageLimitMax?: number;
}

export interface Doctor {
  id: string;
  departmentId: string;
  name: string;
  sex: SexValue;
  birthday: string;
  professionTitle: ProfessionTitleValue;
  office: ProfessionOfficeValue;
  expertise: string;
  introduction: string;
  telephone: string;
  sort: number;
}

export interface Card {
  cardType: CardTypeValue;
  cardNo: string;
  cardStatus: 0 | 1 | 2;
  balance: number;
  cardTime: string;
  lastTime?: string;
}

export interface Patient {
  patientId: string;
  medicalNo: string;
  patientType: 0 | 1;
  patientFlag: 0 | 1;
  /** For patientType 0 (a child without papers) this is the guardian's certificate. */
  certifcateType: CertificateTypeValue;
  certifcateNo: string;
  name: string;
  sex: SexValue;
  birthday: string;
  address?: string;
  mobile: string;
  createTime: string;
  cards: Card[];
}

export interface Slot {
  id: string;
  startTime: string;
  endTime: string;
  totalCount: number;
  remainCount: number;
  status: 0 | 1;
}

export interface Schedule {
  id: string;
  date: string;
  noon: NoonValue;
  departmentId: string;
  doctorId: string;
  startTime: string;
  endTime: string;
  status: 0 | 1 | 2;
  stopReason?: string;
  level: 1 | 2;
  registerFee: number;
  treatFee: number;
  serviceFee: number;
  otherFee: number;
  visitAddress: string;
  takeAddress: string;
  /** HH24MI-HH24MI */
  takeTime: string;
  slots: Slot[];
  nextClinicNo: number;
  updateTime: string;
}

export interface Refund {
  refundId?: string;
  hospitalRefundId?: string;
  refundFee: number;
  refundTime: string;
  reason: string;
  /** 1 = refunded through the platform, 2 = at the hospital's window. */
  kind: 1 | 2;
  outRefundId?: string;
  notified?: boolean;
}

/**
 * An order as the demo hospital keeps it: the contract's QueryRegister order fields it stores as they are (one
 * source of their types: generated/types.ts), plus what only the hospital knows. isRefund, refundlFee, noshow and
 * departmenName (sic) are derived when the order is reported.
 */
export interface Order extends Pick<
  QueryRegisterResponseOrder,
  | "orderId"
  | "hospitalOrderId"
  | "channelId"
  | "scheduleId"
  | "timeId"
  | "departmentId"
  | "doctorId"
  | "doctorName"
  | "registerDate"
  | "noon"
  | "startTime"
  | "endTime"
  | "registerFee"
  | "treatFee"
  | "serviceFee"
  | "otherFee"
  | "totalFee"
  | "realFee"
  | "orderTime"
  | "patientId"
  | "certifcateType"
  | "certifcateNo"
  | "cardType"
  | "cardNo"
  | "patientName"
  | "patientSex"
  | "patientBirthday"
  | "patientAddress"
  | "patientMobile"
  | "isPay"
  | "payTime"
  | "hospitalTradeId"
  | "receiptId"
  | "isTake"
  | "takeTime"
  | "isCancel"
  | "cancelTime"
  | "isStop"
  | "remark"
> {
  departmentName: string;
  clinicNo: string;
  visitNo: string;
  visitAddress: string;
  getTime: string;
  /** When the hospital took the order (epoch ms): unpaid orders lapse after 30 minutes. */
  createdMs: number;
  medicalNo: string;
  paidFee: number;
  tradeId?: string;
  outTradeId?: string;
  payType?: PayTypeValue;
  payChannel?: ChannelTypeValue;
  refunds: Refund[];
}

// ---------------------------------------------------------------------------------------------------------------
// Seed: a mid-size hospital in Xi'an. Two levels of departments, twenty doctors, a few patients with cards.

const DEPARTMENTS: Department[] = [
  dept("01", "内科", "-1", "内科常见病、多发病的诊断与治疗", "门诊楼二楼"),
  dept("0101", "心血管内科", "01", "高血压、冠心病、心律失常、心力衰竭", "门诊楼二楼东区"),
  dept("0102", "消化内科", "01", "胃炎、消化性溃疡、肝病、胃肠镜检查", "门诊楼二楼西区"),
  dept("02", "外科", "-1", "外科常见病的手术与非手术治疗", "门诊楼三楼"),
  dept("0201", "普通外科", "02", "甲状腺、乳腺、疝、胆囊结石", "门诊楼三楼东区"),
  dept("0202", "骨科", "02", "颈椎病、腰腿痛、骨折、关节置换", "门诊楼三楼西区"),
  dept("03", "妇儿中心", "-1", "妇科及儿童常见病", "门诊楼四楼"),
  { ...dept("0301", "妇科", "03", "月经病、妇科炎症、妇科肿瘤", "门诊楼四楼东区"), sexLimit: 2 },
  { ...dept("0302", "儿科", "03", "小儿呼吸、消化系统疾病，儿童保健", "门诊楼四楼西区"), ageLimitMax: 14 },
];

function dept(id: string, name: string, parentId: string, expertise: string, location: string): Department {
  return {
    id,
    name,
    parentId,
    level: parentId === "-1" ? 1 : 2,
    introduction: `${name}是医院的重点科室，开设普通门诊和专家门诊。`,
    expertise,
    location,
    telephone: `029-8888${id.padEnd(4, "0")}`,
    rule: "预约号请于就诊当日按取号时间到门诊一楼自助机或挂号窗口取号，过时作废；每位就诊人同一排班限挂一个号。",
  };
}

type DoctorRow = [
  id: string,
  departmentId: string,
  name: string,
  sex: 1 | 2,
  title: 231 | 232 | 233 | 234,
  born: number,
  expertise: string,
];
const DOCTOR_ROWS: DoctorRow[] = [
  ["D001", "0101", "王建国", 1, 231, 1965, "冠心病介入治疗、复杂心律失常"],
  ["D002", "0101", "刘芳", 2, 232, 1972, "高血压、心力衰竭"],
  ["D003", "0101", "陈明", 1, 233, 1983, "心血管常见病"],
  ["D004", "0101", "赵丽", 2, 234, 1990, "心血管常见病"],
  ["D005", "0102", "孙志刚", 1, 231, 1963, "消化道早癌内镜诊治"],
  ["D006", "0102", "周敏", 2, 232, 1975, "炎症性肠病、肝硬化"],
  ["D007", "0102", "吴磊", 1, 233, 1986, "胃炎、消化性溃疡"],
  ["D008", "0201", "郑海", 1, 231, 1966, "甲状腺、乳腺外科"],
  ["D009", "0201", "冯涛", 1, 232, 1974, "胆道外科、腹腔镜微创手术"],
  ["D010", "0201", "何静", 2, 234, 1991, "外科常见病"],
  ["D011", "0202", "马骏", 1, 231, 1964, "脊柱外科、颈腰椎病"],
  ["D012", "0202", "高峰", 1, 232, 1976, "关节置换、运动损伤"],
  ["D013", "0202", "林涛", 1, 233, 1985, "创伤骨科"],
  ["D014", "0202", "罗强", 1, 234, 1992, "骨科常见病"],
  ["D015", "0301", "郭红", 2, 231, 1967, "妇科肿瘤、宫腔镜手术"],
  ["D016", "0301", "梁燕", 2, 232, 1978, "月经病、不孕症"],
  ["D017", "0301", "宋佳", 2, 233, 1987, "妇科常见病"],
  ["D018", "0302", "韩冰", 2, 231, 1969, "小儿呼吸系统疾病"],
  ["D019", "0302", "唐伟", 1, 232, 1977, "小儿消化、营养"],
  ["D020", "0302", "许婷", 2, 234, 1993, "儿科常见病"],
];

const TITLE_NAMES = { 231: "主任医师", 232: "副主任医师", 233: "主治医师", 234: "医师" } as const;
/** 专业技术职务 follows the title: 主任 正高, 副主任 副高, 主治 中级, 医师 师级. */
const OFFICE = { 231: 1, 232: 2, 233: 3, 234: 4 } as const;
/** 诊查费 by title, in 分; every visit also pays a 100 分 挂号费. */
const TREAT_FEE = { 231: 2900, 232: 1900, 233: 900, 234: 400 } as const;

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

function doctorFromRow([id, departmentId, name, sex, title, born, expertise]: DoctorRow, i: number): Doctor {
  return {
    id,
    departmentId,
    name,
    sex,
    birthday: `${born}-${pad(1 + (i % 12))}-${pad(1 + ((i * 7) % 28))}`,
    professionTitle: title,
    office: OFFICE[title],
    expertise,
    introduction: `${name}，${TITLE_NAMES[title]}，从事临床工作多年，擅长${expertise}。`,
    telephone: `029-8888${pad(3000 + i, 4)}`,
    sort: i + 1,
  };
}

const SEED_TIME = "2024-03-01 09:00:00";

const PATIENTS: Patient[] = [
  patient("P000001", "张伟", 1, "1985-03-12", "610102198503121234", "13800000001", [
    {
      cardType: 7,
      cardNo: "70000001",
      cardStatus: 0,
      balance: 5000,
      cardTime: SEED_TIME,
      lastTime: "2024-09-18 10:12:00",
    },
    { cardType: 3, cardNo: "610100000000000001", cardStatus: 0, balance: 0, cardTime: "2024-05-20 08:30:00" },
  ]),
  patient("P000002", "李娜", 2, "1990-07-21", "610103199007214321", "13800000002", [
    { cardType: 7, cardNo: "70000002", cardStatus: 0, balance: 0, cardTime: SEED_TIME },
  ]),
  // A child without papers: the certificate is the guardian's (李娜).
  {
    ...patient("P000003", "王小明", 1, "2018-05-01", "610103199007214321", "13800000002", [
      { cardType: 7, cardNo: "70000003", cardStatus: 0, balance: 0, cardTime: SEED_TIME },
    ]),
    patientType: 0,
    patientFlag: 1,
  },
  // The seed's OrderRegister and Pay examples name these two.
  patient("P000004", "患者", 1, "1992-05-29", "431022199205293415", "1234566777777", [
    { cardType: 7, cardNo: "70000004", cardStatus: 0, balance: 0, cardTime: SEED_TIME },
  ]),
  patient("P000005", "测试", 2, "1990-01-01", "210102199001012010", "13800000005", [
    { cardType: 2, cardNo: "SMK0000005", cardStatus: 1, balance: 0, cardTime: SEED_TIME },
    {
      cardType: 7,
      cardNo: "70000005",
      cardStatus: 0,
      balance: 1200,
      cardTime: SEED_TIME,
      lastTime: "2024-06-01 15:40:00",
    },
  ]),
];

function patient(
  patientId: string,
  name: string,
  sex: SexValue,
  birthday: string,
  certifcateNo: string,
  mobile: string,
  cards: Card[],
): Patient {
  const n = patientId.slice(1);
  return {
    patientId,
    medicalNo: `M${n}`,
    patientType: 1,
    patientFlag: 0,
    certifcateType: 1,
    certifcateNo,
    name,
    sex,
    birthday,
    address: "陕西省西安市雁塔区",
    mobile,
    createTime: SEED_TIME,
    cards,
  };
}

// Noons: 上午 08:00-12:00 and 下午 14:00-17:30, four time slots each.
const NOONS: { noon: NoonValue; start: string; end: string; take: string; slots: [string, string][] }[] = [
  {
    noon: 1,
    start: "08:00",
    end: "12:00",
    take: "0730-1130",
    slots: [
      ["08:00", "09:00"],
      ["09:00", "10:00"],
      ["10:00", "11:00"],
      ["11:00", "12:00"],
    ],
  },
  {
    noon: 2,
    start: "14:00",
    end: "17:30",
    take: "1330-1700",
    slots: [
      ["14:00", "15:00"],
      ["15:00", "16:00"],
      ["16:00", "17:00"],
      ["17:00", "17:30"],
    ],
  },
];

/** Days of schedules published, from today. */
export const SCHEDULE_DAYS = 7;
/** The newest day's numbers are released at this time (status 2 未开放 until then). */
export const RELEASE_TIME = "15:00";

export const scheduleKey = (scheduleId: string): string => `sched:${scheduleId}`;
export const scheduleDate = (scheduleId: string): string =>
  `${scheduleId.slice(0, 4)}-${scheduleId.slice(4, 6)}-${scheduleId.slice(6, 8)}`;

function schedulesFor(date: string, doctors: Doctor[], departments: Map<string, Department>, now: Now): Schedule[] {
  const out: Schedule[] = [];
  const dow = dayOfWeek(date);
  doctors.forEach((doctor, i) => {
    // Five working days a week per doctor, rotating so that every department has someone every day.
    if ((dow + i) % 7 >= 5) return;
    const title = doctor.professionTitle as 231 | 232 | 233 | 234;
    const expert = title === 231 || title === 232;
    for (const n of NOONS) {
      // 主任医师 see patients in the morning only.
      if (title === 231 && n.noon === 2) continue;
      const id = `${date.replaceAll("-", "")}${doctor.id}${n.noon}`;
      const h = hash(id);
      const perSlot = expert ? 3 : 6;
      const soon = date <= addDays(now.date, 1);
      const slots: Slot[] = n.slots.map(([startTime, endTime], k) => {
        const taken = soon ? (h >>> (k * 3)) % (perSlot + 1) : (h >>> (k * 3)) % 2;
        return {
          id: `${id}-${k + 1}`,
          startTime,
          endTime,
          totalCount: perSlot,
          remainCount: perSlot - taken,
          status: 1,
        };
      });
      const stopped = h % 61 === 0;
      const department = departments.get(doctor.departmentId)!;
      out.push({
        id,
        date,
        noon: n.noon,
        departmentId: doctor.departmentId,
        doctorId: doctor.id,
        startTime: n.start,
        endTime: n.end,
        status: stopped ? 0 : 1,
        ...(stopped ? { stopReason: "医生外出参加学术会议" } : {}),
        level: expert ? 2 : 1,
        registerFee: 100,
        treatFee: TREAT_FEE[title],
        serviceFee: 0,
        otherFee: 0,
        visitAddress: `${department.location}${department.name}${pad(1 + (i % 9))}诊室`,
        takeAddress: "门诊楼一楼自助机或挂号窗口",
        takeTime: n.take,
        slots,
        nextClinicNo: slots.reduce((sum, s) => sum + s.totalCount - s.remainCount, 0) + 1,
        updateTime: now.datetime,
      });
    }
  });
  return out;
}

/**
 * Seeds the hospital on first use and keeps SCHEDULE_DAYS days of schedules published from today, so a demo left
 * running (or restarted on persisted state) rolls forward day by day.
 */
export function ensureSeeded(store: Store, now: Now): void {
  if (store.get("meta:seeded") === undefined) {
    for (const d of DEPARTMENTS) store.put(`dept:${d.id}`, d);
    DOCTOR_ROWS.forEach((row, i) => store.put(`doc:${row[0]}`, doctorFromRow(row, i)));
    for (const p of PATIENTS) store.put(`pat:${p.patientId}`, p);
    store.put("seq:patient", PATIENTS.length);
    store.put("meta:seeded", now.datetime);
  }
  let doctors: Doctor[] | undefined;
  let departments: Map<string, Department> | undefined;
  for (let i = 0; i < SCHEDULE_DAYS; i++) {
    const date = addDays(now.date, i);
    if (store.get(`day:${date}`) !== undefined) continue;
    doctors ??= values<Doctor>(store, "doc:");
    departments ??= new Map(values<Department>(store, "dept:").map((d) => [d.id, d]));
    for (const s of schedulesFor(date, doctors, departments, now)) store.put(scheduleKey(s.id), s);
    store.put(`day:${date}`, true);
  }
}

export function values<T>(store: Store, prefix: string): T[] {
  return [...store.list<T>({ prefix })].map(([, v]) => v);
}

/** The next number of a named sequence (1, 2, ...). */
export function nextSeq(store: Store, name: string): number {
  const n = (store.get<number>(`seq:${name}`) ?? 0) + 1;
  store.put(`seq:${name}`, n);
  return n;
}

/** A department and its sub-departments' ids. */
export function departmentTree(store: Store, departmentId: string): Set<string> | undefined {
  const all = values<Department>(store, "dept:");
  if (!all.some((d) => d.id === departmentId)) return undefined;
  const ids = new Set([departmentId]);
  for (const d of all) if (ids.has(d.parentId)) ids.add(d.id);
  return ids;
}

/** A schedule open tomorrow (seeding first if need be): the example a demo's index page offers a developer. */
export function openScheduleTomorrow(store: Store, now: Now): Schedule | undefined {
  ensureSeeded(store, now);
  return values<Schedule>(store, `sched:${addDays(now.date, 1).replaceAll("-", "")}`).find((s) => s.status === 1);
}
