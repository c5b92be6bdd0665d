// GET /docs: the HIS contract (generated/openapi.json) as one server-rendered HTML page, in Chinese and English,
// built with hono/jsx, which escapes every value it renders. The page works without JavaScript (the filter is a GET
// form, the TestNet form a POST); the inline script only makes both live.
import { raw } from "hono/html";
import { SCRIPT, STYLE } from "./assets.js";
import { bodies, description, Dictionaries, ErrorReplySection, GROUPS, UnifiedCodes } from "./contract-html.js";
import { contractServices, filterText, matches, openapi } from "./contract.js";
import type { Markup } from "./inline.js";
import { TrySection } from "./try-html.js";
import type { TryInput, TryResult } from "./try.js";

/** The whole document; the style and script are constants whose hashes the CSP names (assets.ts). */
async function documentOf(title: string, body: Markup, script: boolean): Promise<string> {
  const page = (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <link rel="icon" href="data:," />
        <style>{raw(STYLE)}</style>
      </head>
      <body>
        {body}
        {script ? <script>{raw(SCRIPT)}</script> : null}
      </body>
    </html>
  );
  return `<!doctype html>${await page.toString()}`;
}

function Overview() {
  return (
    <section id="overview">
      <h2>
        概述 <span class="en">Overview</span>
      </h2>
      <p>
        {openapi.info.title} · {openapi.info.version} · <a href="/openapi.json">openapi.json</a> (OpenAPI{" "}
        {openapi.openapi})
      </p>
      <div class="desc" lang="en">
        {description(openapi.info.description)}
      </div>
      <p>
        HIS 的地址 <code>{"{hisUrl}"}</code> 按医院配置（TENANTS 的 <code>hisUrl</code>）；每个接口以{" "}
        <code>{"POST {hisUrl}/{service}"}</code> 调用，请求头带 <code>x-service</code>、<code>x-partner</code>、
        <code>x-hospital-code</code>、<code>x-request-id</code>。
        <br />
        <span class="en">
          Each hospital's <code>{"{hisUrl}"}</code> is configured per tenant (TENANTS <code>hisUrl</code>); every
          service is called as <code>{"POST {hisUrl}/{service}"}</code> with the headers <code>x-service</code>,{" "}
          <code>x-partner</code>, <code>x-hospital-code</code> and <code>x-request-id</code>.
        </span>
      </p>
    </section>
  );
}

export interface DocsPageOptions {
  query: string;
  tryEnabled: boolean;
}

export async function renderDocsPage({ query, tryEnabled }: DocsPageOptions): Promise<string> {
  const services = await bodies();
  const shown = new Set(contractServices.filter((s) => matches(filterText(s), query)).map((s) => s.operationId));
  const groups = GROUPS.map((g) => {
    const list = contractServices.filter((s) => s.direction === g.direction);
    return { ...g, list, hidden: !list.some((s) => shown.has(s.operationId)) };
  });

  return documentOf(
    "hisgate · HIS 接口文档 HIS contract",
    <>
      <header class="top">
        <h1>
          hisgate <span class="en">HIS 接口契约 · HIS contract</span>
        </h1>
        <form class="filter" method="get" action="/docs" role="search">
          <label for="filter">
            筛选 <span class="en">Filter</span>
          </label>
          <input
            id="filter"
            name="q"
            type="search"
            value={query}
            placeholder="服务名或标题 name or title"
            autocomplete="off"
          />
          <output id="filter-count">
            {shown.size} / {contractServices.length}
          </output>
        </form>
        <div class="links">
          <a href="#try">TestNet</a> · <a href="#unified-codes">返回码 codes</a> ·{" "}
          <a href="#dictionaries">字典 dictionaries</a> · <a href="/openapi.json">openapi.json</a>
        </div>
      </header>
      <div class="layout">
        <nav class="toc" aria-label="目录 Contents">
          <h2>
            <a href="#overview">概述 Overview</a>
          </h2>
          <h2>
            <a href="#try">试一试 Try it</a>
          </h2>
          {groups.map((g) => (
            <div data-group="" hidden={g.hidden}>
              <h2>{g.title}</h2>
              <ul>
                {g.list.map((s) => (
                  <li data-toc="" data-filter={filterText(s)} hidden={!shown.has(s.operationId)}>
                    <a href={`#svc-${s.operationId}`}>{s.operationId}</a> <small>{s.title}</small>
                  </li>
                ))}
              </ul>
            </div>
          ))}
          <h2>
            <a href="#unified-codes">统一返回码 Unified codes</a>
          </h2>
          <h2>
            <a href="#dictionaries">字典 Dictionaries</a>
          </h2>
          <h2>
            <a href="#error-reply">错误应答 Error reply</a>
          </h2>
        </nav>
        <main>
          <Overview />
          <TrySection enabled={tryEnabled} />
          {groups.map((g) => (
            <section id={g.id} data-group="" hidden={g.hidden}>
              <h2>
                {g.title}{" "}
                <span class="en" lang="en">
                  {g.titleEn}
                </span>
              </h2>
              <p>{g.intro}</p>
              {g.list.map((s) => (
                <section
                  class={`service dir-${s.direction}`}
                  id={`svc-${s.operationId}`}
                  data-op={s.operationId}
                  data-filter={filterText(s)}
                  hidden={!shown.has(s.operationId)}
                >
                  {/* Rendered once per isolate by this very renderer (contract-html.tsx), so inserted as is. */}
                  {raw(services.get(s.operationId) ?? "")}
                </section>
              ))}
            </section>
          ))}
          <UnifiedCodes />
          <Dictionaries />
          <ErrorReplySection />
        </main>
      </div>
    </>,
    true,
  );
}

/** What a POST of the TestNet form answers when the page's script is off: the form again, with the result. */
export function renderTryPage(input: TryInput, result: TryResult | { error: string }): Promise<string> {
  return documentOf(
    "hisgate · TestNet",
    <>
      <header class="top">
        <h1>
          hisgate <span class="en">TestNet</span>
        </h1>
        <div class="links">
          <a href="/docs">← 接口文档 docs</a>
        </div>
      </header>
      <div class="layout">
        <div></div>
        <main>
          <TrySection enabled={true} input={input} result={result} />
        </main>
      </div>
    </>,
    false,
  );
}
