// GET /docs: the HIS contract (generated/openapi.json) as one server-rendered HTML page, in Chinese and English.
// Plain template strings; every value from the contract goes through esc(). The page works without JavaScript
// (the filter is a GET form, the TestNet form a POST); the inline script only makes both live.
import { resultCodeMessages } from "../../../generated/enums.js";
import type { Direction } from "../../../generated/registry.js";
import { SCRIPT, STYLE } from "./assets.js";
import {
  bodySchema,
  contractServices,
  filterText,
  matches,
  openapi,
  refName,
  resolve,
  type ContractService,
  type Schema,
} from "./contract.js";
import { DEFAULT_TRY, type TryInput, type TryResult } from "./try.js";

export function esc(value: unknown): string {
  return String(value ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** Escaped text with `code` spans (the only inline markdown the contract's descriptions use). */
function inline(text: string): string {
  return esc(text).replace(/`([^`]+)`/g, "<code>$1</code>");
}

/**
 * A description: paragraphs, lines kept as breaks. Its markdown tables (the business codes codegen wrote into the
 * contract for other readers) are left out: the page renders those from the registry.
 */
function description(text: string | undefined): string {
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
function businessCodes(codes: Readonly<Record<string, string>>): string {
  const rows = Object.entries(codes)
    .map(([code, message]) => `<tr><td><code>${esc(code)}</code></td><td>${esc(message)}</td></tr>`)
    .join("");
  return rows
    ? `<table class="codes"><thead><tr><th>resultCode</th><th>resultMessage</th></tr></thead><tbody>${rows}</tbody></table>`
    : "";
}

const isDictionary = (ref: string | undefined): boolean =>
  !!ref && ref.endsWith("Value") && !!openapi.components.schemas[ref]?.enum;

function enumList(schema: Schema): string {
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

function typeCell(schema: Schema, ref: string | undefined): string {
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

function formatCell(schema: Schema): string {
  const parts: string[] = [];
  if (schema["x-format"]) parts.push(esc(schema["x-format"]));
  if (schema.pattern) parts.push(`<code>${esc(schema.pattern)}</code>`);
  if (schema.multipleOf !== undefined) parts.push(`×${esc(schema.multipleOf)}`);
  if (schema.examples?.length && schema.type !== "object")
    parts.push(`例 <span class="en">e.g.</span> <code>${esc(schema.examples[0])}</code>`);
  return parts.join("<br>");
}

/** One row per field, nested lists and objects flattened under their parent (user[].id, data.patient[].card). */
function fieldRows(schema: Schema, prefix = "", depth = 0): string {
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

const FIELD_HEAD =
  '<thead><tr><th>字段 <span class="en">Field</span></th><th>类型 <span class="en">Type</span></th>' +
  '<th>必填 <span class="en">Req.</span></th><th>最大长度 <span class="en">Max len.</span></th>' +
  '<th>格式 <span class="en">Format</span></th><th>单位 <span class="en">Unit</span></th>' +
  '<th>说明 <span class="en">Description</span></th></tr></thead>';

function fieldTable(schema: Schema | undefined): string {
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

function serviceBody(s: ContractService): string {
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

function bodies(): Map<string, string> {
  serviceBodies ??= new Map(contractServices.map((s) => [s.operationId, serviceBody(s)]));
  return serviceBodies;
}

function unifiedCodes(): string {
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

function dictionariesSection(): string {
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

function errorReplySection(): string {
  const schema = openapi.components.schemas.ErrorReply;
  return (
    `<section id="error-reply"><h2>错误应答 <span class="en">Error reply</span> <small class="mono">ErrorReply</small></h2>` +
    `<p>hisgate 对 <code>/platform/*</code> 的校验失败（400）与认证失败（401）以此应答。<br><span class="en">What hisgate answers on <code>/platform/*</code> when the body fails validation (400) or the hisToken is missing or unknown (401).</span></p>` +
    fieldTable(schema) +
    `</section>`
  );
}

function tryFields(input: TryInput): string {
  const option = (v: string) => `<option value="${v}"${input.format === v ? " selected" : ""}>${v}</option>`;
  return (
    `<label>partner<input name="partner" value="${esc(input.partner)}" placeholder="${esc(DEFAULT_TRY.partner)}" required maxlength="32" autocomplete="off" spellcheck="false"></label>` +
    `<label>hospitalCode<input name="hospitalCode" value="${esc(input.hospitalCode)}" placeholder="${esc(DEFAULT_TRY.hospitalCode)}" required maxlength="64" autocomplete="off" spellcheck="false"></label>` +
    `<label>key<input name="key" title="16 字节 (AES-128) · 16 bytes" value="${esc(input.key)}" placeholder="${esc(DEFAULT_TRY.key)}" required minlength="16" maxlength="16" autocomplete="off" spellcheck="false" class="mono"></label>` +
    `<label>dataFormat<select name="format">${option("xml")}${option("json")}</select></label>` +
    `<button type="submit">发送 TestNet <span lang="en">Send</span></button>`
  );
}

/** The four things a try shows: the request envelope, the reply envelope, the decrypted payload, the signature. */
export function tryPanel(result: TryResult | { error: string } | undefined): string {
  const r = result && "requestEnvelope" in result ? result : undefined;
  const error = result && "error" in result ? result.error : undefined;
  const status = error
    ? `错误 Error: ${error}`
    : r
      ? `HTTP ${r.httpStatus} · resultCode ${r.resultCode} · ${r.resultMessage}`
      : "";
  const sig = r
    ? r.signatureValid
      ? `<span id="try-sig" class="badge ok">✓ 签名有效 signature valid</span>`
      : `<span id="try-sig" class="badge bad">✗ 签名无效 signature invalid</span>`
    : `<span id="try-sig" class="badge" hidden></span>`;
  const pre = (id: string, zh: string, en: string, text: string) =>
    `<div><h4>${zh} <span class="en">${en}</span></h4><pre id="${id}">${esc(text)}</pre></div>`;
  return (
    `<div id="try-result" class="result" aria-live="polite"${result ? "" : " hidden"}>` +
    `<p class="status"><strong id="try-status">${esc(status)}</strong> ${sig}</p>` +
    pre("try-request", "请求信封", "Request envelope (POST /wd/api)", r?.requestEnvelope ?? "") +
    pre("try-reply", "应答信封", "Reply envelope", r?.replyEnvelope ?? "") +
    pre("try-request-payload", "请求明文", "Request payload (before encryption)", r?.requestPayload ?? "") +
    pre(
      "try-decrypted",
      "解密后的应答",
      "Decrypted payload",
      r ? (r.decryptedPayload ?? "（无 none）") + (r.problem ? `\n\n${r.problem}` : "") : "",
    ) +
    `</div>`
  );
}

function trySection(enabled: boolean, input: TryInput = DEFAULT_TRY, result?: TryResult | { error: string }): string {
  const head = `<h2>试一试：TestNet <span class="en">Try it: TestNet</span></h2>`;
  if (!enabled)
    return (
      `<section id="try" class="try">${head}<p class="note">此部署已关闭（<code>DOCS_TRY=off</code>）。` +
      `<span class="en">Disabled on this deployment (<code>DOCS_TRY=off</code>).</span></p></section>`
    );
  return (
    `<section id="try" class="try">${head}` +
    `<p class="note">以平台身份发送一个签名、加密的 TestNet 到本网关的 <code>/wd/api</code>，并显示应答。签名与加解密（MD5、AES-128-ECB，Web Crypto 不支持）在服务器端由 <code>POST /docs/try</code> 完成，因此密钥会发送到本 worker：仅用于开发部署与测试密钥；生产环境请设置 <code>DOCS_TRY=off</code>。` +
    `<br><span class="en">Sends a signed, encrypted TestNet to this gateway's own <code>/wd/api</code> as the platform would, and shows the reply. Signing and encryption (MD5, AES-128-ECB: not in Web Crypto) happen on the server, in <code>POST /docs/try</code>, so the key travels to this worker: use it on dev deployments with test keys only; production sets <code>DOCS_TRY=off</code>.</span></p>` +
    `<form id="try-form" method="post" action="/docs/try">${tryFields(input)}</form>` +
    tryPanel(result) +
    `</section>`
  );
}

function head(title: string): string {
  return (
    `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${esc(title)}</title><link rel="icon" href="data:,"><style>${STYLE}</style></head><body>`
  );
}

const overview = (): string =>
  `<section id="overview"><h2>概述 <span class="en">Overview</span></h2>` +
  `<p>${esc(openapi.info.title)} · ${esc(openapi.info.version)} · <a href="/openapi.json">openapi.json</a> (OpenAPI ${esc(openapi.openapi)})</p>` +
  `<div class="desc" lang="en">${description(openapi.info.description)}</div>` +
  `<p>HIS 的地址 <code>{hisUrl}</code> 按医院配置（TENANTS 的 <code>hisUrl</code>）；每个接口以 <code>POST {hisUrl}/{service}</code> 调用，请求头带 <code>x-service</code>、<code>x-partner</code>、<code>x-hospital-code</code>、<code>x-request-id</code>。` +
  `<br><span class="en">Each hospital's <code>{hisUrl}</code> is configured per tenant (TENANTS <code>hisUrl</code>); every service is called as <code>POST {hisUrl}/{service}</code> with the headers <code>x-service</code>, <code>x-partner</code>, <code>x-hospital-code</code> and <code>x-request-id</code>.</span></p></section>`;

export interface DocsPageOptions {
  query: string;
  tryEnabled: boolean;
}

export function renderDocsPage({ query, tryEnabled }: DocsPageOptions): string {
  const services = bodies();
  const shown = new Set(contractServices.filter((s) => matches(filterText(s), query)).map((s) => s.operationId));
  const hidden = (show: boolean) => (show ? "" : " hidden");

  const toc = GROUPS.map((g) => {
    const list = contractServices.filter((s) => s.direction === g.direction);
    const items = list
      .map(
        (s) =>
          `<li data-toc data-filter="${esc(filterText(s))}"${hidden(shown.has(s.operationId))}>` +
          `<a href="#svc-${esc(s.operationId)}">${esc(s.operationId)}</a> <small>${esc(s.title)}</small></li>`,
      )
      .join("");
    return `<div data-group${hidden(list.some((s) => shown.has(s.operationId)))}><h2>${esc(g.title)}</h2><ul>${items}</ul></div>`;
  }).join("");

  const groups = GROUPS.map((g) => {
    const list = contractServices.filter((s) => s.direction === g.direction);
    const sections = list
      .map(
        (s) =>
          `<section class="service dir-${s.direction}" id="svc-${esc(s.operationId)}" data-op="${esc(s.operationId)}" data-filter="${esc(filterText(s))}"${hidden(shown.has(s.operationId))}>` +
          services.get(s.operationId) +
          `</section>`,
      )
      .join("");
    return (
      `<section id="${g.id}" data-group${hidden(list.some((s) => shown.has(s.operationId)))}>` +
      `<h2>${esc(g.title)} <span class="en" lang="en">${esc(g.titleEn)}</span></h2><p>${g.intro}</p>${sections}</section>`
    );
  }).join("");

  return (
    head("hisgate · HIS 接口文档 HIS contract") +
    `<header class="top"><h1>hisgate <span class="en">HIS 接口契约 · HIS contract</span></h1>` +
    `<form class="filter" method="get" action="/docs" role="search"><label for="filter">筛选 <span class="en">Filter</span></label>` +
    `<input id="filter" name="q" type="search" value="${esc(query)}" placeholder="服务名或标题 name or title" autocomplete="off">` +
    `<output id="filter-count">${shown.size} / ${contractServices.length}</output></form>` +
    `<div class="links"><a href="#try">TestNet</a> · <a href="#unified-codes">返回码 codes</a> · <a href="#dictionaries">字典 dictionaries</a> · <a href="/openapi.json">openapi.json</a></div></header>` +
    `<div class="layout"><nav class="toc" aria-label="目录 Contents">` +
    `<h2><a href="#overview">概述 Overview</a></h2><h2><a href="#try">试一试 Try it</a></h2>${toc}` +
    `<h2><a href="#unified-codes">统一返回码 Unified codes</a></h2><h2><a href="#dictionaries">字典 Dictionaries</a></h2>` +
    `<h2><a href="#error-reply">错误应答 Error reply</a></h2></nav><main>` +
    overview() +
    trySection(tryEnabled) +
    groups +
    unifiedCodes() +
    dictionariesSection() +
    errorReplySection() +
    `</main></div><script>${SCRIPT}</script></body></html>`
  );
}

/** What a POST of the TestNet form answers when the page's script is off: the form again, with the result. */
export function renderTryPage(input: TryInput, result: TryResult | { error: string }): string {
  return (
    head("hisgate · TestNet") +
    `<header class="top"><h1>hisgate <span class="en">TestNet</span></h1><div class="links"><a href="/docs">← 接口文档 docs</a></div></header>` +
    `<div class="layout"><div></div><main>${trySection(true, input, result)}</main></div></body></html>`
  );
}
