import { encrypt } from "../../worker/src/crypto/aes.js";
import { KEY, parse } from "../lib/args.js";
import type { Command } from "../lib/command.js";
import { keyOption } from "../lib/key.js";
import { out } from "../lib/output.js";
import { readText, TEXT_OPTIONS } from "../lib/text-input.js";

const help = `Usage: hisgate encrypt [text] --key <key> [options]

Encrypts a business payload as the standard does (§4.2): AES-128-ECB, PKCS5 padding, UTF-8, base64.

  [text]                the plaintext; '-' or piped stdin to read it from stdin
  -f, --file <path>     read the plaintext from a file ('-' for stdin)
  --keep-newline        keep the final line break of a file or stdin (dropped by default)
  -k, --key <key>       the hospital's 16-character key (default: $HISGATE_KEY)

Example:
  hisgate encrypt '<request><ip><![CDATA[127.0.0.1]]></ip></request>' -k 2098D32C4D1399EC`;

export const encryptCommand: Command = {
  name: "encrypt",
  summary: "AES-128-ECB + base64 a payload with the hospital's key",
  help,
  async run(argv) {
    const { values, positionals } = parse("encrypt", argv, { ...KEY, ...TEXT_OPTIONS }, 1);
    if (values.help) return (out(help), 0);
    const key = keyOption("encrypt", values);
    const text = await readText("encrypt", values, positionals, "plaintext");
    out(encrypt(text, key));
    return 0;
  },
};
