// The docs page in a real browser: `wrangler dev` with the dev tenant, a tiny HIS on node:http behind it, and
// Debian's chromium (apt-get install chromium; CHROMIUM_PATH overrides) driven by playwright-core.
// Run with `npm run test:browser`. Screenshots land in test/browser/out/ (gitignored).
import type { ChildProcess } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { out, startWranglerDev, stopWranglerDev } from "./wrangler-dev.js";
import openapi from "../../generated/openapi.json";

const KEY = "2098D32C4D1399EC";
const operationIds = Object.values(openapi.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));

interface HisCall {
  path: string;
  body: unknown;
}

/** The HIS: TestNet answers with a fixed system time, anything else with a bare SUCCESS. */
function startHis(calls: HisCall[]): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (text += chunk));
    req.on("end", () => {
      const path = new URL(req.url ?? "/", "http://his").pathname;
      calls.push({ path, body: text ? JSON.parse(text) : undefined });
      const answer = path.endsWith("/TestNet")
        ? { resultCode: "SUCCESS", resultMessage: "成功", data: { systemTime: "2026-11-28 10:00:00" } }
        : { resultCode: "SUCCESS", resultMessage: "成功" };
      res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify(answer));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

/** Console lines, page errors and CSP violations (reported by a listener installed before the page's own code). */
function watch(page: Page) {
  const consoleLines: { type: string; text: string }[] = [];
  const pageErrors: string[] = [];
  page.on("console", (m) => consoleLines.push({ type: m.type(), text: m.text() }));
  page.on("pageerror", (e) => pageErrors.push(e.message));
  return {
    consoleLines,
    pageErrors,
    install: () =>
      page.addInitScript(
        `window.__csp = []; document.addEventListener("securitypolicyviolation", function (e) {` +
          ` window.__csp.push(e.violatedDirective + " " + e.blockedURI); });`,
      ),
    violations: () => page.evaluate("window.__csp") as Promise<string[]>,
  };
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
// CI installs Debian's chromium (.ci/run); on a machine without it this file says so and skips.
if (!existsSync(CHROMIUM))
  console.warn(`test/browser: ${CHROMIUM} not found (apt-get install chromium); skipping the browser tests`);

describe.skipIf(!existsSync(CHROMIUM))("the docs page in chromium", () => {
  const hisCalls: HisCall[] = [];
  let his: { server: Server; url: string };
  let wrangler: ChildProcess | undefined;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    his = await startHis(hisCalls);
    const tenants = [{ partner: "TEST_WX", hospitalCode: "0", key: KEY, hisUrl: his.url, hisTimeoutMs: 5000 }];
    const dev = await startWranglerDev("docs", tenants);
    wrangler = dev.process;
    base = dev.base;

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-quic",
        "--disable-sync",
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await stopWranglerDev(wrangler);
    await new Promise((resolve) => his?.server.close(resolve));
  });

  it("lists the 21 services, filters them, sends a TestNet and shows the verified reply, under its CSP", async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1100 }, locale: "zh-CN" });
    const page = await context.newPage();
    const seen = watch(page);
    await seen.install();

    const res = await page.goto(`${base}/docs`, { waitUntil: "load" });
    expect(res?.status()).toBe(200);
    expect(res?.headers()["content-security-policy"]).toMatch(/script-src 'sha256-[^']+'/);

    // Every operation of the contract, all visible.
    const services = page.locator("section.service");
    expect(await services.count()).toBe(21);
    expect(await page.locator("section.service:visible").count()).toBe(21);
    const ops: (string | null)[] = [];
    for (const s of await services.all()) ops.push(await s.getAttribute("data-op"));
    expect(ops.sort()).toEqual([...operationIds].sort());
    expect(await page.locator("#filter-count").textContent()).toBe("21 / 21");

    // The filter box.
    await page.fill("#filter", "Pay");
    await page.locator("#svc-OrderRegister").waitFor({ state: "hidden" });
    expect(await page.locator("#svc-Pay").isVisible()).toBe(true);
    expect(await page.locator("section.service:visible").count()).toBe(1);
    expect(await page.locator("#filter-count").textContent()).toBe("1 / 21");
    expect(new URL(page.url()).searchParams.get("q")).toBe("Pay");
    await page.fill("#filter", "");
    await page.locator("#svc-OrderRegister").waitFor({ state: "visible" });
    expect(await page.locator("section.service:visible").count()).toBe(21);

    // The TestNet form, with the dev tenant's defaults, in both formats.
    expect(await page.inputValue('input[name="partner"]')).toBe("TEST_WX");
    expect(await page.inputValue('input[name="hospitalCode"]')).toBe("0");
    expect(await page.inputValue('input[name="key"]')).toBe(KEY);
    for (const format of ["json", "xml"]) {
      await page.selectOption('select[name="format"]', format);
      await page.evaluate('document.getElementById("try-status").textContent = ""');
      await page.click('#try-form button[type="submit"]');
      await page.locator("#try-status", { hasText: "resultCode SUCCESS" }).waitFor();
      expect(await page.locator("#try-sig").textContent()).toContain("signature valid");
      expect(await page.locator("#try-sig").getAttribute("class")).toContain("ok");
      expect(await page.locator("#try-decrypted").textContent()).toContain("2026-11-28 10:00:00");
      expect(await page.locator("#try-request").textContent()).toContain("requestEncrypted");
      expect(await page.locator("#try-reply").textContent()).toContain("responseEncrypted");
    }
    const testNets = hisCalls.filter((c) => c.path === "/TestNet");
    expect(testNets).toHaveLength(2);
    expect(testNets[0]!.body).toEqual({ ip: expect.any(String) });

    await page.evaluate("window.scrollTo(0, 0)");
    await page.screenshot({ path: `${out}docs.png` });
    await page.locator("#svc-Pay").screenshot({ path: `${out}docs-pay.png` });

    // Nothing was refused by the CSP, and nothing went wrong in the page.
    expect(await seen.violations()).toEqual([]);
    expect(seen.consoleLines.filter((l) => /Content[- ]Security[- ]Policy/i.test(l.text))).toEqual([]);
    expect(seen.consoleLines.filter((l) => l.type === "error")).toEqual([]);
    expect(seen.pageErrors).toEqual([]);
    await context.close();
  });

  it("works without JavaScript: the filter and the form are plain HTML forms", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/docs`);
    await page.fill("#filter", "Pay");
    await Promise.all([page.waitForURL(/\/docs\?q=Pay$/), page.press("#filter", "Enter")]);
    expect(await page.locator("#svc-Pay").isVisible()).toBe(true);
    expect(await page.locator("#svc-OrderRegister").isVisible()).toBe(false);

    await page.goto(`${base}/docs`);
    await Promise.all([page.waitForURL(/\/docs\/try$/), page.click('#try-form button[type="submit"]')]);
    expect(await page.locator("#try-status").textContent()).toContain("resultCode SUCCESS");
    expect(await page.locator("#try-sig").textContent()).toContain("signature valid");
    await context.close();
  });
});
