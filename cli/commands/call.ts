import { choice, flag, parse, PEER, str } from "../lib/args.js";
import type { Command } from "../lib/command.js";
import { usage } from "../lib/errors.js";
import { callHospital, callPlatformVia, type Exchanged } from "../lib/exchange.js";
import { KEY } from "../lib/args.js";
import { err, json, out, type OutputStyle } from "../lib/output.js";
import { readPayload, validatePayload } from "../lib/payload.js";
import {
  baseUrl,
  peerOptions,
  platformRequest,
  timeoutOption,
  tokenOption,
  TRANSPORTS,
  type Peer,
  type Transport,
} from "../lib/peer.js";
import { judge } from "../lib/reply.js";
import { newContext, sampleRequest } from "../lib/samples.js";
import { resolveService, STATE_CHANGING } from "../lib/services.js";

const help = `Usage: hisgate call <Service> [payload.json] [options]

Platform -> hospital services (TestNet, GetDepartmentInfo, Pay, …): plays the platform against a hospital's
deployment. Validates the payload with the generated request validator, seals it with the worker's own code
(sign, encrypt, envelope), sends it, verifies the reply's signature (a reply that does not verify is an error,
nothing in it is shown as data), decrypts it, validates it with the generated response validator and prints it.

Hospital -> platform services (RefundByHis, QueryRefund, DownloadStatement, StopRegister, NotifyRegisterByHis):
plays the HIS: POSTs the plain JSON to <url>/platform/<Service> with Authorization: Bearer <token>.

  <Service>                 hisgate's service name (case-insensitive) or a wire spelling (NetTest)
  [payload.json]            the business request as JSON; '-' for stdin. Read-only services default to a
                            sample; state-changing ones need a payload (--example prints one to start from)
  --data <json>             the payload inline
  --url <url>               the deployment's base URL (default: $HISGATE_URL)
  --partner <id>            the platform's partner id (default: $HISGATE_PARTNER)
  --hospital <code>         the hospitalCode (default: $HISGATE_HOSPITAL)
  -k, --key <key>           the hospital's 16-character key (default: $HISGATE_KEY)
  --format <f>              xml | json (POST <url>/wd/api), get (GET <url>/wd/api/<service>?…),
                            soap (SOAP 1.1 <url>/ApiService.asmx); default json
  --token <token>           the tenant's hisToken, for hospital -> platform services (default: $HISGATE_TOKEN)
  --format-output <f>       json (one line) | pretty (default)
  --timeout <ms>            default 20000
  --dry-run                 print the HTTP request instead of sending it
  --example                 print a sample payload for the service and exit
  -v, --verbose             print the request and the raw reply on stderr

Exit 0 for SUCCESS or a business code (S…), 1 when the call fails at the envelope level (a reply that does
not verify or validate, ILLEGAL_*, SYSTEM_ERROR, …) or the deployment cannot be reached, 2 for bad input.

Examples:
  hisgate call TestNet --url http://localhost:8787 --partner TEST_WX --hospital 0 -k 2098D32C4D1399EC
  hisgate call GetDoctorInfo doctors.json --format soap --url https://gw.example.cn --partner P --hospital H
  hisgate call QueryRefund refund.json --url http://localhost:8787 --token dev-his-token`;

export const callCommand: Command = {
  name: "call",
  summary: "call one service of a deployment, as the platform (or as the HIS)",
  help,
  async run(argv) {
    const { values, positionals } = parse(
      "call",
      argv,
      {
        ...KEY,
        ...PEER,
        data: { type: "string" },
        format: { type: "string" },
        "format-output": { type: "string" },
        "dry-run": { type: "boolean" },
        example: { type: "boolean" },
      },
      2,
    );
    if (values.help) return (out(help), 0);
    const name = positionals[0];
    if (name === undefined) throw usage("call: missing <Service> (see hisgate call --help)");
    const def = resolveService(name);
    const style = choice<OutputStyle>("call", values, "format-output", ["json", "pretty"], "pretty");
    if (flag(values, "example")) return (out(json(sampleRequest(def.name, newContext()), style)), 0);

    // Every option first, so a mistake in one is reported before anything is read or sent.
    const dryRun = flag(values, "dry-run");
    let token: string | undefined;
    let url = "";
    let peer: Peer | undefined;
    let transport: Transport = "json";
    if (def.direction === "hospitalToPlatform") {
      token = tokenOption(values);
      if (!token)
        throw usage(`call: ${def.name} is a hospital -> platform service: give --token (the tenant's hisToken)`);
      url = baseUrl("call", values);
    } else {
      transport = choice("call", values, "format", TRANSPORTS, "json");
      peer = peerOptions("call", values);
    }

    let payload = await readPayload("call", positionals[1], str(values, "data"));
    if (payload === undefined) {
      if (STATE_CHANGING.has(def.name))
        throw usage(
          `call: ${def.name} changes state: give its payload (a file, '-' or --data); \`hisgate call ${def.name} --example\` prints one to start from`,
        );
      payload = sampleRequest(def.name, newContext());
      if (flag(values, "verbose")) err(`using the sample payload ${JSON.stringify(payload)}`);
    }
    const request = validatePayload("call", def, payload);

    let result: Exchanged;
    if (!peer) {
      if (dryRun) {
        out(`POST ${url}/platform/${def.name}`);
        out("authorization: Bearer ****");
        out(JSON.stringify(request));
        return 0;
      }
      result = await callPlatformVia(url, def, token!, request, timeoutOption("call", values), flag(values, "verbose"));
    } else {
      if (dryRun) {
        const req = platformRequest(def, peer, request, transport);
        out(`${req.method} ${req.url}`);
        for (const [k, v] of Object.entries(req.headers)) out(`${k}: ${v}`);
        if (req.body !== undefined) out(req.body);
        return 0;
      }
      result = await callHospital(def, peer, request, transport);
    }

    const { outcome } = result;
    const verdict = judge(outcome, def);
    if (outcome.problem) {
      // Nothing of a reply that does not verify or validate is printed as if it were data.
      err(`hisgate: call: ${def.name}: ${outcome.problem}`);
      return 1;
    }
    const printed = result.body ?? {
      resultCode: outcome.resultCode,
      resultMessage: outcome.resultMessage,
      ...(outcome.data !== undefined ? { data: outcome.data } : {}),
    };
    out(json(printed, style));
    if (!verdict.pass) {
      err(`hisgate: call: ${def.name}: ${verdict.note}`);
      return 1;
    }
    if (verdict.note) err(`${def.name}: ${verdict.note}`);
    return 0;
  },
};
