import { Hono, type Context } from "hono";
import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { tenantSource } from "../config/source.js";
import type { AppEnv } from "../env.js";
import { endSession, startSession, statusAuth } from "../middleware/status-auth/index.js";
import { hisBodyLimit, hisJsonError } from "../render/his-json.js";
import { tenantStatus, type TenantStatus } from "../trail/status.js";
import type { ServiceFigures } from "../trail/types.js";

const STYLE = `
body{font:14px/1.45 system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
header{background:#24292f;color:#fff;padding:12px 24px;display:flex;gap:16px;align-items:center}
header h1{font-size:18px;margin:0;flex:1}
main{padding:16px 24px;max-width:1200px}
section{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:12px 16px;margin-bottom:16px}
h2{font-size:16px;margin:0 0 8px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eaeef2;font-variant-numeric:tabular-nums}
td.n,th.n{text-align:right}
.bad{color:#cf222e;font-weight:600}.ok{color:#1a7f37}
.empty{color:#57606a}
form.login{max-width:360px;margin:64px auto;background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:24px}
form.login input{width:100%;box-sizing:border-box;padding:6px;margin:8px 0}
button{padding:6px 14px;cursor:pointer}
code{font-size:12px}`;

/** No script at all; styles inline; forms post only here; never framed. */
const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const page = (title: string, body: HtmlEscapedString | Promise<HtmlEscapedString>) =>
  html`<!doctype html>
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>${title}</title>
        <style>
          ${raw(STYLE)}
        </style>
      </head>
      <body>
        ${body}
      </body>
    </html>`;

function loginPage(c: Context<AppEnv>, failed: boolean) {
  c.header("cache-control", "no-store");
  c.header("content-security-policy", CSP);
  return c.html(
    page(
      "hisgate · 登录 Sign in",
      html`<form class="login" method="post" action="/status/login">
        <h2>hisgate 运行状态 · Status</h2>
        <label for="token">医院接口令牌 hisToken</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required autofocus />
        ${failed ? html`<p class="bad" role="alert">令牌不正确 · Unknown token</p>` : ""}
        <button type="submit">登录 Sign in</button>
      </form>`,
    ),
    401,
  );
}

const pct = (rate: number | null) => (rate === null ? "–" : `${(rate * 100).toFixed(1)} %`);
const ms = (v: number | null) => (v === null ? "–" : `${v} ms`);
const time = (at: number) => new Date(at).toISOString().replace("T", " ").slice(0, 19) + "Z";
function age(msValue: number | null): string {
  if (msValue === null) return "–";
  const s = Math.round(msValue / 1000);
  return s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`;
}

const windowTable = (caption: string, rows: ServiceFigures[]) =>
  html`<section>
    <h2>${caption}</h2>
    ${
      rows.length === 0
        ? html`<p class="empty">没有交易 · No exchanges</p>`
        : html`<table>
            <thead>
              <tr>
                <th>接口 Service</th>
                <th>方向 Direction</th>
                <th class="n">次数 Count</th>
                <th class="n">成功率 Success</th>
                <th class="n">p50</th>
                <th class="n">p99</th>
              </tr>
            </thead>
            <tbody>
              ${rows.map(
                (r) =>
                  html`<tr data-service="${r.service}" data-direction="${r.direction}">
                    <td>${r.service}</td>
                    <td>${r.direction === "platformToHospital" ? "平台→医院" : "医院→平台"}</td>
                    <td class="n">${r.count}</td>
                    <td class="n ${r.successRate !== null && r.successRate < 1 ? "bad" : "ok"}">
                      ${pct(r.successRate)}
                    </td>
                    <td class="n">${ms(r.p50Ms)}</td>
                    <td class="n">${ms(r.p99Ms)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
  </section>`;

function statusPage(s: TenantStatus) {
  const q = s.notifications;
  return page(
    `hisgate · ${s.partner} / ${s.hospitalCode}`,
    html`<header>
        <h1>hisgate 运行状态 · ${s.partner} / ${s.hospitalCode}</h1>
        <span>${time(s.generatedAt)}</span>
        <form method="post" action="/status/logout"><button type="submit">退出 Sign out</button></form>
      </header>
      <main>
        <section id="notifications">
          <h2>通知队列 · Notification queue</h2>
          <table>
            <tbody>
              <tr>
                <th>待投递 Pending</th>
                <td class="n" data-k="pending">${q.pending}</td>
              </tr>
              <tr>
                <th>投递失败 Failed</th>
                <td class="n ${q.failed ? "bad" : ""}" data-k="failed">${q.failed}</td>
              </tr>
              <tr>
                <th>被拒绝 Rejected</th>
                <td class="n ${q.rejected ? "bad" : ""}" data-k="rejected">${q.rejected}</td>
              </tr>
              <tr>
                <th>最早待投递 Oldest pending</th>
                <td class="n" data-k="oldest">${age(q.oldestPendingMs)}</td>
              </tr>
            </tbody>
          </table>
        </section>
        ${windowTable("最近一小时 · Last hour", s.windows.hour)} ${windowTable("最近一天 · Last day", s.windows.day)}
        <section id="failures">
          <h2>最近失败 · Latest failures</h2>
          ${
            s.latestFailures.length === 0
              ? html`<p class="empty">没有失败 · None</p>`
              : html`<table>
                  <thead>
                    <tr>
                      <th>时间 Time</th>
                      <th>接口 Service</th>
                      <th>结果码 Code</th>
                      <th>字段 Fields</th>
                      <th>requestId</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${s.latestFailures.map(
                      (f) =>
                        html`<tr>
                          <td>${time(f.at)}</td>
                          <td>${f.service}</td>
                          <td class="bad">${f.resultCode}${f.hisCode ? html` (${f.hisCode})` : ""}</td>
                          <td><code>${(f.paths ?? []).join(", ")}</code></td>
                          <td><code>${f.requestId}</code></td>
                        </tr>`,
                    )}
                  </tbody>
                </table>`
          }
        </section>
      </main>`,
  );
}

const jsonUnauthorized = (c: Context<AppEnv>) => {
  c.set("resultCode", "ILLEGAL_PARTNER");
  return c.json({ resultCode: "ILLEGAL_PARTNER", resultMessage: "Authorization: Bearer <hisToken> is required" }, 401, {
    "www-authenticate": 'Bearer realm="hisgate"',
  });
};

/**
 * The hospital IT's status page, mounted at /status: per service over the last hour and day (count, success rate,
 * p50/p99), the latest failures with their codes, and the notification queue; its login form and logout. Its
 * failures (a body past MAX_BODY_BYTES, a trail that cannot be read) are the HIS surfaces' JSON with an HTTP
 * status, rendered by its own onError.
 */
export const statusRoutes = new Hono<AppEnv>()
  .use(hisBodyLimit())
  .post("/login", async (c) => {
    const form = await c.req.parseBody();
    const token = typeof form.token === "string" ? form.token.trim() : "";
    const tenant = token ? await tenantSource(c.env).byToken(token) : undefined;
    if (!tenant) return loginPage(c, true);
    startSession(c, tenant);
    return c.redirect("/status", 303);
  })
  .post("/logout", (c) => {
    endSession(c);
    return c.redirect("/status", 303);
  })
  .get("/", statusAuth({ onUnauthorized: (c) => loginPage(c, false) }), async (c) => {
    c.header("cache-control", "no-store");
    c.header("content-security-policy", CSP);
    c.set("resultCode", "SUCCESS");
    return c.html(statusPage(await tenantStatus(c.env, c.var.tenant!)));
  })
  .onError(hisJsonError);

/** GET /status.json, mounted at /status.json: the status page's data for scripts, behind the same session or token. */
export const statusJsonRoutes = new Hono<AppEnv>()
  .use(hisBodyLimit(), statusAuth({ onUnauthorized: jsonUnauthorized }))
  .get("/", async (c) => {
    c.header("cache-control", "no-store");
    c.set("resultCode", "SUCCESS");
    return c.json(await tenantStatus(c.env, c.var.tenant!));
  })
  .onError(hisJsonError);
