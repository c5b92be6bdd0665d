// What the worker reaches with a plain fetch (a tenant's hisUrl) in the worker tests: miniflare's outboundService,
// running in Node. his-url.test plays an HIS that answers GetDepartmentInfo with what it received (path, method,
// headers, query), so a test can check routes and hisHeaders over a real fetch. redirect.test answers every request
// with the redirect its path names (/307/…) to his-url.test, carrying a secret in the Location; everything else is
// refused.
export async function outbound(request: Request): Promise<Response> {
  const url = new URL(request.url);
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
