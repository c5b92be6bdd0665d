import { signaturesEqual } from "../../worker/src/crypto/sign.js";
import { KEY, list, parse } from "../lib/args.js";
import { candidatesFor, displayCanonical } from "../lib/candidates.js";
import type { Command } from "../lib/command.js";
import { ENVELOPE_HELP, ENVELOPE_OPTIONS, loadEnvelope, showKey } from "../lib/envelope-input.js";
import { usage } from "../lib/errors.js";
import { keyOption, maskKey } from "../lib/key.js";
import { nearMisses } from "../lib/near-miss.js";
import { err, out } from "../lib/output.js";

const help = `Usage: hisgate verify [envelope] --key <key> [--key <key2>] [options]

Verifies an envelope's sign the way the gateway does, and shows its work: every canonical string it accepts
(the service under each of its spellings — the one sent, the GET path's, the wire name and aliases — each
with and without the parameters sent empty), which one matched, or that none did. Exit 0 on a match, 1 on
a mismatch. For a reply envelope: all signed parameters, and without the empty ones.

During a key rotation give both keys (-k old -k new): each is tried, as the gateway does, and the output
says which one matched (key 1 or key 2, by its last four characters).

${ENVELOPE_HELP}
  --service <name>      also try this service spelling; repeatable

Examples:
  hisgate verify request.xml -k 2098D32C4D1399EC
  hisgate verify request.xml -k 2098D32C4D1399EC -k 0123456789ABCDEF
  hisgate verify --url-query 'http://h/wd/spi/testnet?partner=TEST_WX&…&sign=2A3D…' -k 2098D32C4D1399EC`;

export const verifyCommand: Command = {
  name: "verify",
  summary: "check an envelope's sign, printing every canonical string tried",
  help,
  async run(argv) {
    const { values, positionals } = parse(
      "verify",
      argv,
      {
        ...KEY,
        key: { ...KEY.key!, multiple: true },
        ...ENVELOPE_OPTIONS,
        service: { type: "string", multiple: true },
      },
      1,
    );
    if (values.help) return (out(help), 0);
    const given = list(values, "key");
    // Several -k during a key rotation; one -k or HISGATE_KEY otherwise.
    const keys = given.length > 0 ? given.map((key) => keyOption("verify", { key })) : [keyOption("verify", {})];
    const envelope = await loadEnvelope("verify", values, positionals);
    const received = envelope.params.sign;
    if (received === undefined || received === "") throw usage("verify: the envelope has no sign to verify");
    const extra = list(values, "service");
    const { def, spellings } = candidatesFor(envelope, keys[0]!, extra);

    const p = envelope.params;
    if (envelope.kind === "request") {
      const named = def
        ? ` -> ${def.name} (${def.title}, ${def.direction === "platformToHospital" ? "platform -> hospital" : "hospital -> platform"})`
        : " (not a service of the standard)";
      out(
        `request envelope (${envelope.source}): service ${p.service ?? "(none)"}${envelope.serviceFromPath ? " (from the URL path)" : envelope.pathService ? `, path ${envelope.pathService}` : ""}${named}`,
      );
      out(
        `partner ${p.partner ?? "(none)"}, hospitalCode ${p.hospitalCode ?? "(none)"}, signType ${p.signType ?? "(none)"}`,
      );
      out(`service spellings tried: ${spellings.map((s) => s || "(empty)").join(", ")}`);
    } else {
      out(
        `reply envelope (${envelope.source}): resultCode ${p.resultCode ?? "(none)"}, signType ${p.signType ?? "(none)"}`,
      );
    }
    out(`received sign: ${received}`);
    const several = keys.length > 1;
    const name = (i: number) => `key ${i + 1} (${maskKey(keys[i]!)})`;
    let total = 0;
    const hints: string[] = [];
    for (const [i, key] of keys.entries()) {
      const { candidates } = candidatesFor(envelope, key, extra);
      total += candidates.length;
      out(`canonical strings tried${several ? ` with ${name(i)}` : ""} (${candidates.length}):`);
      candidates.forEach((c, n) => {
        out(`  [${n + 1}] ${c.label}: ${c.sign}${signaturesEqual(c.sign, received) ? "  MATCH" : ""}`);
        out(`      ${displayCanonical(c.params, key, showKey(values))}`);
      });
      const m = candidates.find((c) => signaturesEqual(c.sign, received));
      if (m) {
        const sent = p.service ?? envelope.pathService;
        const spelledOtherwise =
          m.service !== undefined && sent !== undefined && m.service !== sent ? ` (the envelope sends ${sent})` : "";
        out(`OK: the sign matches ${several ? `${name(i)}, ` : ""}${m.label}${spelledOtherwise}`);
        return 0;
      }
      for (const hint of nearMisses(envelope, key, candidates)) hints.push(several ? `${name(i)}: ${hint}` : hint);
    }
    for (const hint of hints) out(`hint: ${hint}`);
    err(
      `hisgate: verify: MISMATCH: none of the ${total} canonical strings${several ? ` of the ${keys.length} keys` : ""} signs to ${received} ` +
        "(wrong key, or a value changed after signing? compare the signer's own canonical string with the ones above)",
    );
    return 1;
  },
};
