// POST /docs/try: the docs page's "send a TestNet" form. The envelope is built and read here, on the server, with
// the protocol module (sealRequest, openReply), because MD5 and AES-128-ECB are not in Web Crypto and
// hand-written crypto in the page is not worth its risk. The price: the key in the form travels to the worker.
// That is acceptable for what this is, a developer tool on a dev deployment whose key is the standard's test
// key; production sets DOCS_TRY=off, which removes the form and answers 404 here.
import { getService } from "../../../generated/registry.js";
import type { Context, ExecutionContext } from "hono";
import { decrypt } from "../crypto/aes.js";
import type { AppEnv, Bindings } from "../env.js";
import { GatewayError } from "../errors.js";
import { readReplyParams } from "../protocol/envelope.js";
import { encodePayload } from "../protocol/payload.js";
import { openReply } from "../protocol/reply.js";
import { sealRequest } from "../protocol/request.js";
import { verifyReplySignature } from "../protocol/signature.js";
import type { PayloadFormat } from "../protocol/text.js";
import { fieldOf, isRecord, messageOf } from "../lib/object.js";

export interface TryInput {
  partner: string;
  hospitalCode: string;
  key: string;
  format: PayloadFormat;
}

export interface TryResult {
  /** The signed, encrypted envelope POSTed to /wd/api. */
  requestEnvelope: string;
  /** The business request before encryption. */
  requestPayload: string;
  httpStatus: number;
  /** The gateway's reply, as received. */
  replyEnvelope: string;
  resultCode: string;
  resultMessage: string;
  /** The reply's sign checks out under the key of the form. */
  signatureValid: boolean;
  /** responseEncrypted decrypted with the key of the form, when there is one. */
  decryptedPayload: string | null;
  /** The decrypted payload as the contract's typed TestNet response, when it validates. */
  payload: object | null;
  /** Why decrypting or reading the reply failed, if it did. */
  problem?: string;
}

export const DEFAULT_TRY: TryInput = { partner: "TEST_WX", hospitalCode: "0", key: "2098D32C4D1399EC", format: "xml" };

/** The form is on unless DOCS_TRY is "off" (or false/0/no). */
export function tryEnabled(env: Bindings): boolean {
  const v = env.DOCS_TRY;
  return !(typeof v === "string" && ["off", "false", "0", "no"].includes(v.trim().toLowerCase()));
}

/** Checks the form's fields; answers the reason when they are unusable. */
export function parseTryInput(raw: unknown): TryInput | string {
  if (!isRecord(raw)) return "the body must be an object";
  const text = (name: keyof TryInput, max: number): string | undefined => {
    const v = fieldOf(raw, name);
    return typeof v === "string" && v.length > 0 && v.length <= max ? v : undefined;
  };
  const partner = text("partner", 32);
  if (!partner) return "partner: 1 to 32 characters";
  const hospitalCode = text("hospitalCode", 64);
  if (!hospitalCode) return "hospitalCode: 1 to 64 characters";
  const key = text("key", 64);
  if (!key || new TextEncoder().encode(key).length !== 16) return "key: 16 bytes (AES-128)";
  const format = fieldOf(raw, "format") ?? "xml";
  if (format !== "xml" && format !== "json") return 'format: "xml" or "json"';
  return { partner, hospitalCode, key, format };
}

/** The gateway's own fetch, handed in by app.ts (importing the app from here would be an import cycle). */
export type AppFetch = (request: Request, env: Bindings, ctx: ExecutionContext | undefined) => Promise<Response>;

/** Seals a TestNet as the platform would, sends it through this gateway's own /wd/api and opens the reply. */
export async function tryTestNet(c: Context<AppEnv>, input: TryInput, appFetch: AppFetch): Promise<TryResult> {
  const def = getService("TestNet")!;
  // TestNet's ip is at most 16 characters: an IPv6 client gets the loopback address instead.
  const clientIp = c.req.header("cf-connecting-ip") ?? "";
  const request = { ip: clientIp && clientIp.length <= 16 ? clientIp : "127.0.0.1" };
  const requestEnvelope = sealRequest(def, input, request, input.format);
  const requestPayload = encodePayload(def, "request", request, input.format);

  // The app itself, not a network round trip: a worker cannot reliably fetch its own hostname.
  const headers = new Headers({
    "content-type": input.format === "xml" ? "application/xml; charset=utf-8" : "application/json; charset=utf-8",
    "x-request-id": c.var.requestId,
  });
  if (clientIp) headers.set("cf-connecting-ip", clientIp);
  let ctx: ExecutionContext | undefined;
  try {
    ctx = c.executionCtx;
  } catch {
    ctx = undefined;
  }
  const res = await appFetch(
    new Request(new URL("/wd/api", c.req.url), { method: "POST", headers, body: requestEnvelope }),
    c.env,
    ctx,
  );
  const replyEnvelope = await res.text();

  const result: TryResult = {
    requestEnvelope,
    requestPayload,
    httpStatus: res.status,
    replyEnvelope,
    resultCode: "",
    resultMessage: "",
    signatureValid: false,
    decryptedPayload: null,
    payload: null,
  };
  let params: Record<string, string>;
  try {
    params = readReplyParams(replyEnvelope);
  } catch (err) {
    return { ...result, problem: err instanceof GatewayError ? (err.detail ?? err.message) : String(err) };
  }
  result.resultCode = params.resultCode ?? "";
  result.resultMessage = params.resultMessage ?? "";
  result.signatureValid = verifyReplySignature(params, input.key);
  if (params.responseEncrypted) {
    try {
      result.decryptedPayload = new TextDecoder().decode(decrypt(params.responseEncrypted, input.key));
    } catch (err) {
      result.problem = `responseEncrypted does not decrypt: ${messageOf(err)}`;
    }
  }
  if (result.signatureValid && result.resultCode === "SUCCESS") {
    try {
      result.payload = openReply(replyEnvelope, def, input.key).data ?? null;
    } catch (err) {
      result.problem = err instanceof GatewayError ? err.message : String(err);
    }
  }
  return result;
}
