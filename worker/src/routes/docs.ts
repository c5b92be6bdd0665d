// GET /docs (the HIS contract as HTML), GET /openapi.json (the contract itself) and POST /docs/try (the page's
// TestNet form; 404 when DOCS_TRY is "off"). See worker/src/docs/.
import { Hono } from "hono";
import { PAGE_HEADERS } from "../docs/assets.js";
import { openapi } from "../docs/contract.js";
import { renderDocsPage, renderTryPage } from "../docs/page.js";
import { DEFAULT_TRY, parseTryInput, tryEnabled, tryTestNet, type AppFetch, type TryInput } from "../docs/try.js";
import { fieldOf, isObject } from "../lib/object.js";
import type { AppEnv } from "../env.js";
import { limitBody } from "../middleware/body-limit/index.js";

let openapiText: string | undefined;
// The unfiltered page, once per isolate for each DOCS_TRY state: it depends on nothing else.
const pages = new Map<boolean, string>();

/** The docs routes; `appFetch` is the gateway itself, through which the try form sends its TestNet. */
export const docsRoutes = (appFetch: AppFetch) =>
  new Hono<AppEnv>()
    .get("/openapi.json", (c) => {
      openapiText ??= JSON.stringify(openapi, null, 2);
      return c.body(openapiText, 200, {
        "content-type": "application/json; charset=utf-8",
        "access-control-allow-origin": "*",
        "cache-control": "public, max-age=300",
      });
    })
    .get("/docs", async (c) => {
      const query = (c.req.query("q") ?? "").slice(0, 100);
      const enabled = tryEnabled(c.env);
      let html: string;
      if (query.trim() === "") {
        html = pages.get(enabled) ?? (await renderDocsPage({ query: "", tryEnabled: enabled }));
        pages.set(enabled, html);
      } else {
        html = await renderDocsPage({ query, tryEnabled: enabled });
      }
      return c.body(html, 200, PAGE_HEADERS);
    })
    .get("/docs/", (c) => c.redirect("/docs", 301))
    .post("/docs/try", limitBody(), async (c) => {
      if (!tryEnabled(c.env)) return c.notFound();
      const type = c.req.header("content-type") ?? "";
      // The form without the page's script: urlencoded in, HTML out. Otherwise JSON both ways.
      const asHtml = type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data");
      let raw: unknown;
      try {
        raw = asHtml ? await c.req.parseBody() : await c.req.json();
      } catch {
        return c.json({ error: "the body must be a JSON object" }, 400);
      }
      const input = parseTryInput(raw);
      if (typeof input === "string") {
        if (!asHtml) return c.json({ error: input }, 400);
        const given = (name: keyof TryInput): string | undefined => {
          const v = isObject(raw) ? fieldOf(raw, name) : undefined;
          return typeof v === "string" ? v : undefined;
        };
        const form: TryInput = {
          partner: given("partner") ?? DEFAULT_TRY.partner,
          hospitalCode: given("hospitalCode") ?? DEFAULT_TRY.hospitalCode,
          key: given("key") ?? DEFAULT_TRY.key,
          format: given("format") === "json" ? "json" : DEFAULT_TRY.format,
        };
        return c.body(await renderTryPage(form, { error: input }), 400, PAGE_HEADERS);
      }
      const result = await tryTestNet(c, input, appFetch);
      return asHtml ? c.body(await renderTryPage(input, result), 200, PAGE_HEADERS) : c.json(result);
    });
