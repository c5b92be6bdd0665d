import { sign, signaturesEqual } from "../../worker/src/crypto/sign.js";
import { flag, KEY, parse, str } from "../lib/args.js";
import { displayCanonical, paramsToSign } from "../lib/candidates.js";
import type { Command } from "../lib/command.js";
import { ENVELOPE_HELP, ENVELOPE_OPTIONS, loadEnvelope, showKey } from "../lib/envelope-input.js";
import { keyOption } from "../lib/key.js";
import { out } from "../lib/output.js";

const help = `Usage: hisgate sign [envelope] --key <key> [options]

Signs an envelope the way the standard does (§4.1): every signed base parameter that is present, sorted by
name, joined as name=value with &, then &key=<key>; MD5, uppercase hex. Prints the canonical string and the
sign. A reply envelope (resultCode, resultMessage, responseEncrypted) is signed the same way.

${ENVELOPE_HELP}
  --service <name>      sign under this service spelling instead of the one sent (the seed's XML example
                        sends NetTest and signs TestNet)
  --omit-empty          leave out the parameters sent with an empty value

Example:
  hisgate sign request.xml --service TestNet -k 2098D32C4D1399EC`;

export const signCommand: Command = {
  name: "sign",
  summary: "print the canonical string of an envelope and its MD5 sign",
  help,
  async run(argv) {
    const { values, positionals } = parse(
      "sign",
      argv,
      { ...KEY, ...ENVELOPE_OPTIONS, service: { type: "string" }, "omit-empty": { type: "boolean" } },
      1,
    );
    if (values.help) return (out(help), 0);
    const key = keyOption("sign", values);
    const envelope = await loadEnvelope("sign", values, positionals);
    let params = paramsToSign(envelope, envelope.kind === "request" ? str(values, "service") : undefined);
    if (flag(values, "omit-empty")) params = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== ""));
    const signature = sign(params, key);
    out("canonical string:");
    out(displayCanonical(params, key, showKey(values)));
    out(`sign: ${signature}`);
    const sent = envelope.params.sign;
    if (sent !== undefined && sent !== "") {
      out(
        signaturesEqual(signature, sent)
          ? "the envelope's own sign is the same"
          : `the envelope's own sign differs (${sent}); \`hisgate verify\` tries every form the gateway accepts`,
      );
    }
    return 0;
  },
};
