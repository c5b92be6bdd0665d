// The docs page's only inline style and script, and the Content-Security-Policy that allows exactly these two by
// their SHA-256 (computed once per isolate): no 'unsafe-inline', nothing loaded from anywhere but this origin.
import { createHash } from "node:crypto";

export const STYLE = `
:root { color-scheme: light; --fg: #1d2330; --muted: #5b6475; --line: #d9dee7; --bg: #fff; --soft: #f4f6fa;
  --accent: #0b5cad; --ok: #1f7a3a; --bad: #b3261e; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 15px/1.55 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei",
  "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; color: var(--fg); background: var(--bg); }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  font-size: 13px; }
a { color: var(--accent); }
header.top { position: sticky; top: 0; z-index: 2; background: var(--bg); border-bottom: 1px solid var(--line);
  padding: 10px 24px; display: flex; gap: 16px; align-items: center; flex-wrap: wrap; }
header.top h1 { font-size: 18px; margin: 0; }
header.top .links { margin-left: auto; color: var(--muted); font-size: 13px; }
form.filter { display: flex; gap: 8px; align-items: center; }
form.filter input { width: 280px; padding: 6px 10px; border: 1px solid var(--line); border-radius: 6px; font: inherit; }
form.filter output { color: var(--muted); font-size: 13px; min-width: 4em; }
button { font: inherit; padding: 6px 14px; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent);
  color: #fff; cursor: pointer; }
button.secondary { background: var(--bg); color: var(--accent); }
.layout { display: grid; grid-template-columns: 260px minmax(0, 1fr); gap: 24px; padding: 0 24px; }
nav.toc { position: sticky; top: 64px; align-self: start; max-height: calc(100vh - 80px); overflow: auto;
  font-size: 13px; padding: 16px 0; }
nav.toc h2 { font-size: 13px; margin: 12px 0 4px; color: var(--muted); border: 0; padding: 0; }
nav.toc ul { list-style: none; margin: 0; padding: 0; }
nav.toc li { margin: 2px 0; }
nav.toc li small { color: var(--muted); }
main { padding: 16px 0 64px; min-width: 0; }
h2 { font-size: 20px; border-bottom: 2px solid var(--line); padding-bottom: 4px; margin-top: 32px; }
h2 .en, h3 .en, h4 .en, th .en { color: var(--muted); font-weight: normal; }
section.service { border: 1px solid var(--line); border-radius: 8px; padding: 4px 16px 12px; margin: 16px 0; }
section.service h3 { font-size: 17px; margin: 12px 0 4px; }
section.service h4 { font-size: 14px; margin: 16px 0 6px; }
.meta { color: var(--muted); font-size: 13px; margin: 0 0 8px; }
.method { display: inline-block; font-size: 12px; font-weight: 600; color: #fff; background: var(--accent);
  border-radius: 4px; padding: 0 6px; vertical-align: 2px; }
.dir-hospitalToPlatform .method { background: #7a4b00; }
.desc p { margin: 6px 0; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 4px 0 8px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: var(--soft); white-space: nowrap; }
td.name { white-space: nowrap; }
td.name .indent { color: var(--muted); }
td.req { text-align: center; }
td code { word-break: break-all; }
tr.group-row td { background: #fafbfd; }
.enum { margin: 4px 0 0; padding-left: 18px; }
.enum li { margin: 0; }
details > summary { cursor: pointer; color: var(--accent); }
.try { border: 1px solid var(--line); border-radius: 8px; padding: 8px 16px 16px; background: var(--soft); }
.try h2 { margin-top: 8px; }
.try form { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)) auto; gap: 8px 12px; align-items: end; }
.try label { display: flex; flex-direction: column; font-size: 13px; color: var(--muted); }
.try input, .try select { font: inherit; padding: 5px 8px; border: 1px solid var(--line); border-radius: 6px;
  background: var(--bg); color: var(--fg); }
.try .note { font-size: 13px; color: var(--muted); }
.result { margin-top: 12px; display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 8px 16px; }
.result .status { grid-column: 1 / -1; font-size: 14px; }
.result h4 { margin: 4px 0; font-size: 13px; }
.result pre { margin: 0; background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 8px;
  white-space: pre-wrap; word-break: break-all; max-height: 240px; overflow: auto; }
.badge { display: inline-block; border-radius: 4px; padding: 0 8px; font-weight: 600; }
.badge.ok { background: #dff3e4; color: var(--ok); }
.badge.bad { background: #fbe3e1; color: var(--bad); }
@media (max-width: 900px) { .layout { grid-template-columns: 1fr; } nav.toc { position: static; max-height: none; }
  .try form, .result { grid-template-columns: 1fr; } }
`;

// Plain ES2020, no template literals, no innerHTML: every value reaches the page through textContent.
export const SCRIPT = `
(function () {
  "use strict";
  var filter = document.getElementById("filter");
  var count = document.getElementById("filter-count");
  var services = Array.prototype.slice.call(document.querySelectorAll("section.service"));
  var tocItems = Array.prototype.slice.call(document.querySelectorAll("[data-toc]"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("[data-group]"));
  function matches(text, query) {
    var terms = query.toLowerCase().split(/\\s+/).filter(Boolean);
    for (var i = 0; i < terms.length; i++) if (text.indexOf(terms[i]) < 0) return false;
    return true;
  }
  function apply() {
    var q = filter.value;
    var shown = 0;
    services.forEach(function (s) {
      var ok = matches(s.getAttribute("data-filter") || "", q);
      s.hidden = !ok;
      if (ok) shown++;
    });
    tocItems.forEach(function (li) { li.hidden = !matches(li.getAttribute("data-filter") || "", q); });
    groups.forEach(function (g) {
      g.hidden = !Array.prototype.some.call(g.querySelectorAll("[data-filter]"), function (el) { return !el.hidden; });
    });
    count.textContent = shown + " / " + services.length;
    var url = new URL(location.href);
    if (q.trim()) url.searchParams.set("q", q); else url.searchParams.delete("q");
    history.replaceState(null, "", url.pathname + url.search + url.hash);
  }
  if (filter) {
    filter.addEventListener("input", apply);
    filter.form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
  }

  var form = document.getElementById("try-form");
  if (!form) return;
  var out = document.getElementById("try-result");
  function set(id, text) { document.getElementById(id).textContent = text; }
  function show(r) {
    out.hidden = false;
    set("try-status", r.error ? "错误 Error: " + r.error
      : "HTTP " + r.httpStatus + " · resultCode " + r.resultCode + " · " + r.resultMessage);
    var sig = document.getElementById("try-sig");
    sig.className = "badge " + (r.signatureValid ? "ok" : "bad");
    sig.textContent = r.signatureValid ? "✓ 签名有效 signature valid" : "✗ 签名无效 signature invalid";
    sig.hidden = !!r.error;
    set("try-request", r.requestEnvelope || "");
    set("try-request-payload", r.requestPayload || "");
    set("try-reply", r.replyEnvelope || "");
    set("try-decrypted", r.decryptedPayload == null ? "（无 none）" : r.decryptedPayload);
  }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var button = form.querySelector("button");
    button.disabled = true;
    set("try-status", "发送中… sending…");
    out.hidden = false;
    var body = {
      partner: form.elements.partner.value,
      hospitalCode: form.elements.hospitalCode.value,
      key: form.elements.key.value,
      format: form.elements.format.value
    };
    fetch(form.action, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
      .then(function (res) { return res.json(); })
      .then(show, function (err) { show({ error: String(err) }); })
      .then(function () { button.disabled = false; });
  });
})();
`;

const sha256 = (text: string): string => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

export const STYLE_HASH = sha256(STYLE);
export const SCRIPT_HASH = sha256(SCRIPT);

export const CSP = [
  "default-src 'self'",
  `script-src ${SCRIPT_HASH}`,
  `style-src ${STYLE_HASH}`,
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join("; ");

export const PAGE_HEADERS: Record<string, string> = {
  "content-type": "text/html; charset=utf-8",
  "content-security-policy": CSP,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-cache",
};
