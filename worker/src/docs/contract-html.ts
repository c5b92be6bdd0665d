// The contract's parts of the docs page: services, their fields and codes, the unified codes, the dictionaries.
import { resultCodeMessages } from "../../../generated/enums.js";
import type { Direction } from "../../../generated/registry.js";
import {
  bodySchema,
  contractServices,
  openapi,
  refName,
  resolve,
  type ContractService,
  type Schema,
} from "./contract.js";
import { esc, inline } from "./html.js";

/**
 * A description: paragraphs, lines kept as breaks. Its markdown tables (the business codes codegen wrote into the
 * contract for other readers) are left out: the page renders those from the registry.
 */
export function description(text: string | undefined): string {
  const blocks: string[] = [];
  let para: string[] = [];
  const flushPara = () => {
    if (para.length) blocks.push(`<p>${para.map(inline).join("<br>")}</p>`);
    para = [];
  };
  for (const line of (text ?? "").split("\n")) {
    if (line.trim().startsWith("|")) flushPara();
    else if (line.trim() === "") flushPara();
    else para.push(line);
  }
  flushPara();
  return blocks.join("");
}

/** A service's business result codes, from the registry. */
export function businessCodes(codes: Readonly<Record<string, string>>): string {
  const rows = Object.entries(codes)
    .map(([code, message]) => `<tr><td><code>${esc(code)}</code></td><td>${esc(message)}</td></tr>`)
    .join("");
  return rows
    ? `<table class="codes"><thead><tr><th>resultCode</th><th>resultMessage</th></tr></thead><tbody>${rows}</tbody></table>`
    : "";
}

export const isDictionary = (ref: string | undefined): boolean =>
  !!ref && ref.endsWith("Value") && !!openapi.components.schemas[ref]?.enum;

export function enumList(schema: Schema): string {
  const values = schema.enum;
  if (!values?.length) return "";
  const labels = schema["x-enum-descriptions"] ?? [];
  const items = values
    .map((v, i) => `<li><code>${esc(v)}</code>${labels[i] ? ` — ${esc(labels[i])}` : ""}</li>`)
    .join("");
  const list = `<ul class="enum">${items}</ul>`;
  return values.length > 12
    ? `<details><summary>${values.length} 个取值 <span class="en">values</span></summary>${list}</details>`
    : list;
}

export function typeCell(schema: Schema, ref: string | undefined): string {
  if (schema.type === "array") {
    const item = resolve(schema.items ?? {});
    return `array&lt;${item.ref ? esc(item.ref) : esc(item.schema.type ?? "object")}&gt;`;
  }
  if (ref === "ResultCode") return `string · <a href="#unified-codes">ResultCode</a>`;
  if (schema.type === "object" || schema.properties) return `object${ref ? ` · ${esc(ref)}` : ""}`;
  let t = esc(schema.type ?? "");
  if (schema["x-decimal"]) t += ` · decimal(${schema["x-decimal"].precision},${schema["x-decimal"].scale})`;
  else if (schema.format) t += ` · ${esc(schema.format)}`;
  if (isDictionary(ref)) {
    const title = openapi.components.schemas[ref!]?.title ?? ref!;
    t += `<br><a href="#dict-${esc(ref)}">${esc(title)}</a>`;
  }
  return t;
}

export function formatCell(schema: Schema): string {
  const parts: string[] = [];
  if (schema["x-format"]) parts.push(esc(schema["x-format"]));
  if (schema.pattern) parts.push(`<code>${esc(schema.pattern)}</code>`);
  if (schema.multipleOf !== undefined) parts.push(`×${esc(schema.multipleOf)}`);
  if (schema.examples?.length && schema.type !== "object")
    parts.push(`例 <span class="en">e.g.</span> <code>${esc(schema.examples[0])}</code>`);
  return parts.join("<br>");
}

/** One row per field, nested lists and objects flattened under their parent (user[].id, data.patient[].card). */
export function fieldRows(schema: Schema, prefix = "", depth = 0): string {
  const required = new Set(schema.required ?? []);
  let rows = "";
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const { schema: p, ref } = resolve(property);
    const path = `${prefix}${name}`;
    const indent = depth ? `<span class="indent">${esc(prefix)}</span>` : "";
    const nested = p.type === "array" ? resolve(p.items ?? {}).schema : p.properties ? p : undefined;
    const desc = [
      p.description ? inline(p.description) : "",
      ref === "ResultCode"
        ? `<br>SUCCESS、<a href="#unified-codes">统一返回码</a>或本接口的业务返回码（见下）。`
        : enumList(p),
    ]
      .filter(Boolean)
      .join("");
    rows +=
      `<tr${nested ? ' class="group-row"' : ""} data-field="${esc(path)}">` +
      `<td class="name">${indent}<code>${esc(name)}</code></td>` +
      `<td>${typeCell(p, ref)}</td>` +
      `<td class="req">${required.has(name) ? '是 <span class="en">Y</span>' : ""}</td>` +
      `<td>${p.maxLength ?? ""}</td>` +
      `<td>${formatCell(p)}</td>` +
      `<td>${esc(p["x-unit"] ?? "")}</td>` +
      `<td>${desc}</td></tr>`;
    if (nested?.properties) rows += fieldRows(nested, `${path}${p.type === "array" ? "[]" : ""}.`, depth + 1);
  }
  return rows;
}

export const FIELD_HEAD =
  '<thead><tr><th>字段 <span class="en">Field</span></th><th>类型 <span class="en">Type</span></th>' +
  '<th>必填 <span class="en">Req.</span></th><th>最大长度 <span class="en">Max len.</span></th>' +
  '<th>格式 <span class="en">Format</span></th><th>单位 <span class="en">Unit</span></th>' +
  '<th>说明 <span class="en">Description</span></th></tr></thead>';

export function fieldTable(schema: Schema | undefined): string {
  if (!schema) return `<p class="meta">无 <span class="en">none</span></p>`;
  const { schema: s } = resolve(schema);
  const rows = fieldRows(s);
  return rows
    ? `<table class="fields">${FIELD_HEAD}<tbody>${rows}</tbody></table>`
    : `<p class="meta">无字段 <span class="en">no fields</span></p>`;
}

export const GROUPS: readonly { direction: Direction; id: string; title: string; titleEn: string; intro: string }[] = [
  {
    direction: "platformToHospital",
    id: "platform-to-hospital",
    title: "平台 → 医院：由医院 HIS 实现",
    titleEn: "Platform → hospital: implemented by the HIS",
    intro:
      "平台发来的签名、加密信封由 hisgate 验签、解密、校验后，以 JSON 形式 POST 到医院的 <code>{hisUrl}/{service}</code>；HIS 返回 <code>{resultCode, resultMessage, data}</code>。" +
      '<br><span class="en">hisgate verifies, decrypts and validates the platform\'s envelope and POSTs the typed request as JSON to <code>{hisUrl}/{service}</code>; the HIS answers <code>{resultCode, resultMessage, data}</code>.</span>',
  },
  {
    direction: "hospitalToPlatform",
    id: "hospital-to-platform",
    title: "医院 → 平台：经 hisgate 调用",
    titleEn: "Hospital → platform: called through hisgate",
    intro:
      "HIS 以 <code>Authorization: Bearer &lt;hisToken&gt;</code> 向 hisgate 的 <code>/platform/{service}</code> POST 明文 JSON；hisgate 签名、加密后调用平台，并验签、解密平台的应答。" +
      '<br><span class="en">The HIS POSTs plain JSON to hisgate\'s <code>/platform/{service}</code> with <code>Authorization: Bearer &lt;hisToken&gt;</code>; hisgate signs, encrypts, calls the platform and verifies and decrypts its answer.</span>',
  },
];

export function serviceBody(s: ContractService): string {
  const { op } = s;
  const desc = description(op.description);
  const codes = businessCodes(s.resultCodes);
  const reply = bodySchema(op.responses?.["200"]);
  const replyName = reply?.$ref ? refName(reply.$ref) : "";
  const requestSchema = bodySchema(op.requestBody);
  const requestName = requestSchema?.$ref ? refName(requestSchema.$ref) : "";
  const endpoint =
    s.direction === "platformToHospital"
      ? `<code>${esc(s.method)} {hisUrl}${esc(s.path)}</code> · 由 HIS 实现 <span class="en">implemented by the HIS</span>`
      : `<code>${esc(s.method)} ${esc(s.path)}</code> · 由 hisgate 提供 <span class="en">served by hisgate</span>`;
  const auth = (op.security ?? []).flatMap((req) => Object.keys(req));
  const wire = [s.wireName, ...s.aliases].map((w) => `<code>${esc(w)}</code>`).join(" / ");
  const responses = Object.entries(op.responses ?? {})
    .map(([status, r]) => {
      const schema = bodySchema(r);
      const name = schema?.$ref ? refName(schema.$ref) : "";
      const link = name === "ErrorReply" ? `<a href="#error-reply">ErrorReply</a>` : esc(name);
      return `<li><code>${esc(status)}</code> — ${inline(r.description ?? "")}${name ? ` → ${link}` : ""}</li>`;
    })
    .join("");
  return (
    `<h3><span class="method">${esc(s.method)}</span> ${esc(s.operationId)} · ${esc(s.title)} <span class="en" lang="en">${esc(s.titleEn)}</span></h3>` +
    `<p class="meta">${endpoint}${s.section ? ` · §${esc(s.section)}` : ""} · 报文服务名 <span class="en">wire name</span> ${wire}` +
    `${auth.length ? ` · 认证 <span class="en">auth</span> <code>Authorization: Bearer &lt;hisToken&gt;</code>` : ""}</p>` +
    `<div class="desc">${desc}</div>` +
    `<h4>请求 <span class="en">Request</span>${requestName ? ` <small class="mono">${esc(requestName)}</small>` : ""}</h4>` +
    fieldTable(requestSchema) +
    `<h4>应答 <span class="en">Response</span>${replyName ? ` <small class="mono">${esc(replyName)}</small>` : ""}</h4>` +
    fieldTable(reply) +
    `<ul class="meta">${responses}</ul>` +
    `<h4>业务返回码 <span class="en">Business result codes</span></h4>` +
    (codes ||
      `<p class="meta">无；见<a href="#unified-codes">统一返回码</a> <span class="en">none; the unified result codes apply</span></p>`)
  );
}

let serviceBodies: Map<string, string> | undefined;

export function bodies(): Map<string, string> {
  serviceBodies ??= new Map(contractServices.map((s) => [s.operationId, serviceBody(s)]));
  return serviceBodies;
}

export function unifiedCodes(): string {
  const rows = Object.entries(resultCodeMessages)
    .map(
      ([code, m]) =>
        `<tr><td><code>${esc(code)}</code></td><td>${esc(m.message)}</td><td lang="en">${esc(m.messageEn)}</td></tr>`,
    )
    .join("");
  return (
    `<section id="unified-codes"><h2>统一返回码 <span class="en">Unified result codes</span></h2>` +
    `<p>每个接口都可能返回这些代码（§2.3）；各接口自己的业务返回码列在接口之下。<br><span class="en">Any service may answer these (§2.3); each service's own business codes are listed with it.</span></p>` +
    `<table class="codes"><thead><tr><th>resultCode</th><th>resultMessage</th><th>English</th></tr></thead><tbody>${rows}</tbody></table></section>`
  );
}

export function dictionariesSection(): string {
  const dicts = Object.entries(openapi.components.schemas).filter(([name]) => isDictionary(name));
  const items = dicts
    .map(([name, s]) => {
      const labels = s["x-enum-descriptions"] ?? [];
      const rows = (s.enum ?? [])
        .map((v, i) => `<tr><td><code>${esc(v)}</code></td><td>${esc(labels[i] ?? "")}</td></tr>`)
        .join("");
      return (
        `<section id="dict-${esc(name)}"><h3>${esc(s.title ?? name)} <small class="mono">${esc(name)}</small></h3>` +
        (s.description ? `<p class="meta">${inline(s.description)}</p>` : "") +
        `<details${(s.enum?.length ?? 0) <= 12 ? " open" : ""}><summary>${s.enum?.length ?? 0} 个取值 <span class="en">values</span> · ${esc(s.type)}</summary>` +
        `<table class="codes"><thead><tr><th>值 <span class="en">Value</span></th><th>含义 <span class="en">Label</span></th></tr></thead><tbody>${rows}</tbody></table></details></section>`
      );
    })
    .join("");
  return `<section id="dictionaries"><h2>字典 <span class="en">Dictionaries</span></h2>${items}</section>`;
}

export function errorReplySection(): string {
  const schema = openapi.components.schemas.ErrorReply;
  return (
    `<section id="error-reply"><h2>错误应答 <span class="en">Error reply</span> <small class="mono">ErrorReply</small></h2>` +
    `<p>hisgate 对 <code>/platform/*</code> 的校验失败（400）与认证失败（401）以此应答。<br><span class="en">What hisgate answers on <code>/platform/*</code> when the body fails validation (400) or the hisToken is missing or unknown (401).</span></p>` +
    fieldTable(schema) +
    `</section>`
  );
}
