// The stub HIS of bench/http.bench.ts, run in its own worker thread so it does not share an event loop with
// autocannon. Loopback only. It reads (and discards) the body and answers pre-built bytes chosen by the last
// path segment: /TestNet, /QueryRegister (what the gateway calls: hisUrl + "/" + service, and what the passthrough
// forwards to). Plain JS: worker threads do not go through tsx.
import { createServer } from "node:http";
import { parentPort, workerData } from "node:worker_threads";

/** @type {Record<string, Buffer>} */
const answers = Object.fromEntries(Object.entries(workerData.answers).map(([k, v]) => [k, Buffer.from(v, "utf8")]));

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const service = (req.url ?? "").split("?")[0].split("/").pop() ?? "";
    const body = answers[service];
    if (!body) {
      res.writeHead(404, { "content-type": "application/json" }).end('{"resultCode":"ILLEGAL_SERVICE"}');
      return;
    }
    res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, "127.0.0.1", () => parentPort?.postMessage({ port: server.address().port }));
parentPort?.on("message", (m) => {
  if (m === "close") server.close(() => process.exit(0));
});
