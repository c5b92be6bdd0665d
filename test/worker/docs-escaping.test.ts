// The docs page is rendered by hono/jsx: what a caller sends back into it (the filter, the TestNet form) is escaped.
import { describe, expect, it } from "vitest";
import { gateway } from "../support/gateway.js";

const HOSTILE = `"><script>alert(1)</script><img src=x onerror=alert(2)>'`;
const ESCAPED = "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&#39;";

describe("/docs escapes what the caller sent", () => {
  it("the filter's value", async () => {
    const res = await gateway(() => new Response("unused")).fetch(`/docs?q=${encodeURIComponent(HOSTILE)}`);
    const html = await res.text();
    expect(html).toContain(`name="q" type="search" value="${ESCAPED}"`);
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<img src=x");
  });

  it("the TestNet form sent back without JavaScript", async () => {
    const res = await gateway(() => new Response("unused")).fetch("/docs/try", {
      method: "POST",
      body: new URLSearchParams({ partner: HOSTILE, hospitalCode: "0", key: "short", format: "xml" }),
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain(`name="partner" value="${ESCAPED}"`);
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<img src=x");
  });
});
