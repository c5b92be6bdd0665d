import { flag, list, str, type Values } from "./args.js";
import { paramsEnvelope, parseEnvelopeText, parseParamOption, type LoadedEnvelope } from "./envelope.js";
import { usage } from "./errors.js";
import { pipedStdin, readSource } from "./input.js";

/** Options of the commands that read an envelope (sign, verify). */
export const ENVELOPE_OPTIONS = {
  param: { type: "string", multiple: true },
  "url-query": { type: "string" },
  "show-key": { type: "boolean" },
} as const;

export const ENVELOPE_HELP = `  [envelope]            an XML or JSON envelope (or a SOAP message carrying one) in a file, '-' for stdin;
                        a file holding a GET URL or query string works too
  --url-query <url>     a GET request instead: the full URL, /wd/spi/{service}?…, or just the query string
  --param name=value    an envelope parameter; repeatable; overrides the envelope's own
  -k, --key <key>       the hospital's 16-character key (default: $HISGATE_KEY)
  --show-key            print the key in canonical strings (default: ****<last 4 characters>)`;

/** The envelope from a file / stdin / --url-query, with --param applied on top. */
export async function loadEnvelope(command: string, values: Values, positionals: string[]): Promise<LoadedEnvelope> {
  const file = positionals[0];
  const query = str(values, "url-query");
  const params = list(values, "param").map(parseParamOption);
  if (file !== undefined && query !== undefined)
    throw usage(`${command}: give an envelope file or --url-query, not both`);
  let envelope: LoadedEnvelope | undefined;
  if (query !== undefined) envelope = parseEnvelopeText(query);
  else if (file !== undefined) envelope = parseEnvelopeText(await readSource(file, "envelope file"));
  else if (params.length === 0) {
    const piped = await pipedStdin();
    if (piped === undefined)
      throw usage(
        `${command}: give an envelope file, '-' for stdin, --url-query or --param (see hisgate ${command} --help)`,
      );
    envelope = parseEnvelopeText(piped);
  }
  if (params.length === 0) return envelope!;
  const merged = { ...(envelope?.params ?? {}), ...Object.fromEntries(params) };
  return envelope ? { ...envelope, kind: paramsEnvelope(merged).kind, params: merged } : paramsEnvelope(merged);
}

export const showKey = (values: Values): boolean => flag(values, "show-key");
