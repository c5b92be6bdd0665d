// The docs page's TestNet form and its result panel.
import { esc } from "./html.js";
import { DEFAULT_TRY, type TryInput, type TryResult } from "./try.js";

export function tryFields(input: TryInput): string {
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

export function trySection(
  enabled: boolean,
  input: TryInput = DEFAULT_TRY,
  result?: TryResult | { error: string },
): string {
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
