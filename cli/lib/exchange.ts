import type { ServiceDefinition } from "../../generated/registry.js";
import { parseJson } from "../../worker/src/payload/json.js";
import { failure } from "./errors.js";
import { hospitalRequest, platformRequest, replyEnvelope, send, type Peer, type Transport } from "./peer.js";
import { readReply, type Outcome } from "./reply.js";

export interface Exchanged {
  outcome: Outcome;
  ms: number;
  /** /platform only: the gateway's whole JSON answer (statementRows included). */
  body?: Record<string, unknown>;
}

/**
 * Plays the platform for one platform -> hospital call: seal the request with the worker's sealRequest, send
 * it over the transport, read the reply with the worker's openReply. Unreachable peers throw (one line).
 */
export async function callHospital(
  def: ServiceDefinition,
  peer: Peer,
  payload: object,
  transport: Transport,
): Promise<Exchanged> {
  const reply = await send(platformRequest(def, peer, payload, transport), peer.timeoutMs, peer.verbose);
  const text = replyEnvelope(transport, reply);
  const outcome: Outcome =
    typeof text === "string"
      ? readReply(text, def, peer.key, reply.status)
      : { resultCode: "-", resultMessage: "", verified: undefined, valid: undefined, problem: text.problem };
  return { outcome, ms: reply.ms };
}

/**
 * Plays the HIS for one hospital -> platform call through the gateway: plain JSON to /platform/{Service} with
 * the tenant's hisToken. The gateway verifies the platform's signature itself; the answer's data is checked
 * here against the generated response validator.
 */
export async function callPlatformVia(
  url: string,
  def: ServiceDefinition,
  token: string,
  payload: object,
  timeoutMs: number,
  verbose: boolean,
): Promise<Exchanged> {
  const reply = await send(hospitalRequest(url, def, token, payload), timeoutMs, verbose);
  const status = reply.status === 200 ? "" : `HTTP ${reply.status}: `;
  let body: Record<string, unknown>;
  try {
    const v = parseJson(reply.text);
    if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error("not a JSON object");
    body = v as Record<string, unknown>;
  } catch {
    const snippet = reply.text.trim().slice(0, 80).replace(/\s+/g, " ");
    return {
      ms: reply.ms,
      outcome: {
        resultCode: "-",
        resultMessage: "",
        verified: undefined,
        valid: undefined,
        problem: `${status}the gateway's answer is not JSON (${JSON.stringify(snippet)})`,
      },
    };
  }
  const resultCode = typeof body.resultCode === "string" ? body.resultCode : "-";
  const resultMessage = typeof body.resultMessage === "string" ? body.resultMessage : "";
  const outcome: Outcome = { resultCode, resultMessage, verified: undefined, valid: undefined };
  if (reply.status === 401) throw failure(`the gateway refused the token (${resultCode}: ${resultMessage})`);
  if (resultCode === "SUCCESS" && def.hasResponse) {
    const result = def.validateResponse(body.data);
    outcome.valid = result.ok;
    if (result.ok) outcome.data = result.value;
    else
      outcome.problem = `${status}the answer's data fails validation: ${result.errors.map((e) => e.messageEn).join("; ")}`;
  } else if (resultCode === "-") {
    outcome.problem = `${status}the gateway's answer has no resultCode`;
  }
  return { outcome, ms: reply.ms, body };
}
