// What the worker reaches with a plain fetch (a tenant's hisUrl) in the worker tests: miniflare's outboundService,
// running in Node. his-url.test plays an HIS that answers GetDepartmentInfo with what it received (path, method,
// headers, query), so a test can check routes and hisHeaders over a real fetch. redirect.test answers every request
// with the redirect its path names (/307/…) to his-url.test, carrying a secret in the Location; everything else is
// refused.
// alerts.test plays a WeCom / DingTalk group robot for the alert tests.
const alertPosts: { url: string; body: unknown }[] = [];

export async function outbound(request: Request): Promise<Response> {
  const url = new URL(request.url);
  // /hook accepts ({"errcode":0}), /redirect answers 302 (the alert must not follow it), /__posts lists what was
  // posted, /__reset clears it.
  if (url.hostname === "alerts.test") {
    if (url.pathname === "/__posts") return Response.json(alertPosts);
    if (url.pathname === "/__reset") return ((alertPosts.length = 0), Response.json({ ok: true }));
    alertPosts.push({ url: request.url, body: await request.json() });
    if (url.pathname === "/redirect")
      return new Response(null, { status: 302, headers: { location: "https://alerts.test/hook" } });
    return Response.json({ errcode: 0, errmsg: "ok" });
  }
  if (url.hostname === "redirect.test") {
    const status = Number(url.pathname.split("/")[1]);
    return new Response(null, {
      status,
      headers: { location: "https://his-url.test/api/GetDepartmentInfo?token=LOCATION-SECRET" },
    });
  }
  if (url.hostname !== "his-url.test")
    return new Response(`unexpected outbound request to ${url.host}`, { status: 599 });
  const echo = [
    request.method,
    url.pathname,
    url.search,
    request.headers.get("authorization") ?? "-",
    request.headers.get("x-service") ?? "-",
  ];
  const body = request.method === "GET" ? "" : await request.text();
  return Response.json({
    resultCode: "SUCCESS",
    resultMessage: "成功",
    data: {
      count: 1,
      department: [
        {
          id: "001",
          name: echo.join(" ").slice(0, 128),
          parentId: "-1",
          expertise: body.slice(0, 256) || "-",
          level: 1,
          status: 1,
        },
      ],
    },
  });
}
