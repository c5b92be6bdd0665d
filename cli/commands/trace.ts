import { choice, parse, type OptionSpec } from "../lib/args.js";
import type { Command } from "../lib/command.js";
import { CliError, usage } from "../lib/errors.js";
import { json, out, table, type OutputStyle } from "../lib/output.js";
import { baseUrl, timeoutOption, tokenOption } from "../lib/peer.js";
import type { PublicMessage } from "../../worker/src/trail/types.js";

const help = `Usage: hisgate trace <orderId> [options]

One order's timeline from the gateway's message trail (GET <url>/messages?orderId=…, oldest first): every
exchange that carried the order id, in both directions, and every delivery attempt of its notifications —
OrderRegister → Pay → NotifyRegister → Refund … — with result codes, the HIS's status and time, and the other
business ids each exchange carried. Patient data is never in the trail, so never in this output.

  <orderId>                 the platform's order id (平台订单号)
  --url <url>               the deployment's base URL (default: $HISGATE_URL)
  --token <token>           the tenant's hisToken (default: $HISGATE_TOKEN)
  --format-output <f>       pretty (a table, default) | json (the messages, one JSON array)
  --timeout <ms>            default 20000

Exit 0 when the order has exchanges, 1 when the trail knows none (or the deployment cannot be reached), 2 for
bad input.

Example:
  hisgate trace 201702071009214675 --url http://localhost:8787 --token dev-his-token`;

const OPTIONS: OptionSpec = {
  url: { type: "string" },
  token: { type: "string" },
  timeout: { type: "string" },
  "format-output": { type: "string" },
};

/** Reads every page of the order's trail. */
async function readTrail(url: string, token: string, orderId: string, timeoutMs: number): Promise<PublicMessage[]> {
  const messages: PublicMessage[] = [];
  let cursor: string | null = null;
  do {
    const qs = new URLSearchParams({ orderId, order: "asc", limit: "500", ...(cursor ? { cursor } : {}) });
    let res: Response;
    try {
      res = await fetch(`${url}/messages?${qs}`, {
        headers: { authorization: `Bearer ${token}`, accept: "application/json" },
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      throw new CliError(`trace: ${url} cannot be reached (${(e as Error).name})`, 1);
    }
    const text = await res.text();
    let body: { messages?: PublicMessage[]; cursor?: string | null; resultMessage?: string };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new CliError(`trace: ${url}/messages answered HTTP ${res.status}, not JSON`, 1);
    }
    if (res.status === 401) throw new CliError("trace: the token is not a hisToken of this deployment", 1);
    if (!res.ok || !Array.isArray(body.messages))
      throw new CliError(
        `trace: ${url}/messages answered HTTP ${res.status}: ${body.resultMessage ?? "no messages"}`,
        1,
      );
    messages.push(...body.messages);
    cursor = body.cursor ?? null;
  } while (cursor);
  return messages;
}

const arrow = (m: PublicMessage) =>
  m.transport === "delivery" ? "⇢ HIS" : m.direction === "hospitalToPlatform" ? "→ 平台" : "→ HIS";

export const traceCommand: Command = {
  name: "trace",
  summary: "one order's timeline from the gateway's message trail",
  help,
  async run(argv) {
    const { values, positionals } = parse("trace", argv, OPTIONS, 1);
    if (values.help) return (out(help), 0);
    const orderId = positionals[0];
    if (!orderId) throw usage("trace: missing <orderId> (see hisgate trace --help)");
    const url = baseUrl("trace", values);
    const token = tokenOption(values);
    if (!token) throw usage("trace: missing --token (the tenant's hisToken; or set HISGATE_TOKEN)");
    const style = choice<OutputStyle>("trace", values, "format-output", ["json", "pretty"], "pretty");
    const messages = await readTrail(url, token, orderId, timeoutOption("trace", values));
    if (style === "json") out(json(messages, "json"));
    else if (messages.length === 0) out(`order ${orderId}: no exchanges in the trail`);
    else {
      out(`order ${orderId}: ${messages.length} exchange${messages.length === 1 ? "" : "s"}`);
      for (const line of table(
        ["time (UTC)", "", "service", "result", "total", "HIS", "ids / fields"],
        messages.map((m) => [
          m.at.replace("T", " ").replace("Z", ""),
          arrow(m),
          m.attempt ? `${m.service} #${m.attempt}` : m.service,
          m.hisCode ? `${m.resultCode} (${m.hisCode})` : m.resultCode,
          `${m.totalMs} ms`,
          m.upstreamStatus === undefined ? "–" : `${m.upstreamStatus} ${m.upstreamMs ?? "?"} ms`,
          [
            ...Object.entries(m.ids)
              .filter(([k]) => k !== "orderId")
              .map(([k, v]) => `${k}=${v}`),
            ...(m.paths ?? []).map((p) => `✗ ${p}`),
          ].join(" "),
        ]),
      ))
        out(line);
    }
    return messages.length ? 0 : 1;
  },
};
