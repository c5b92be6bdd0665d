import { decrypt, DecryptError } from "../../worker/src/crypto/aes.js";
import { KEY, parse } from "../lib/args.js";
import type { Command } from "../lib/command.js";
import { failure } from "../lib/errors.js";
import { keyOption } from "../lib/key.js";
import { out } from "../lib/output.js";
import { readText, TEXT_OPTIONS } from "../lib/text-input.js";

const help = `Usage: hisgate decrypt [ciphertext] --key <key> [options]

Decrypts a requestEncrypted / responseEncrypted value (§4.2) with the worker's own AES-128-ECB. Line breaks
and spaces inside the base64 are ignored. Exit 1 with one line when it is not base64, not whole 16-byte
blocks, its padding is wrong (usually: the wrong key), or the plaintext is not UTF-8.

  [ciphertext]          the base64 text; '-' or piped stdin to read it from stdin
  -f, --file <path>     read it from a file ('-' for stdin)
  -k, --key <key>       the hospital's 16-character key (default: $HISGATE_KEY)

Example:
  hisgate decrypt 'WXzV3/6APXYdqsoZlVuANePKKHbc47QODNPniynaD9s=' -k 2098D32C4D1399EC`;

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

export const decryptCommand: Command = {
  name: "decrypt",
  summary: "decrypt a requestEncrypted / responseEncrypted value",
  help,
  async run(argv) {
    const { values, positionals } = parse("decrypt", argv, { ...KEY, ...TEXT_OPTIONS }, 1);
    if (values.help) return (out(help), 0);
    const key = keyOption("decrypt", values);
    const text = await readText("decrypt", values, positionals, "ciphertext");
    let bytes: Uint8Array;
    try {
      bytes = decrypt(text, key);
    } catch (e) {
      if (e instanceof DecryptError) throw failure(`decrypt: cannot decrypt: ${explain(e.message)}`);
      throw e;
    }
    let plain: string;
    try {
      plain = utf8.decode(bytes);
    } catch {
      throw failure(
        "decrypt: cannot decrypt: the plaintext is not UTF-8 (the standard's payloads are UTF-8; another charset, or the wrong key)",
      );
    }
    out(plain);
    return 0;
  },
};

/** The worker's DecryptError messages, said for someone holding the ciphertext. */
function explain(message: string): string {
  if (message === "not base64")
    return "the ciphertext is not base64 (A-Z a-z 0-9 + / and = padding, length a multiple of 4)";
  return message;
}
