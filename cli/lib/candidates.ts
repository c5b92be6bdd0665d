import type { ServiceDefinition } from "../../generated/registry.js";
import { canonicalString } from "../../worker/src/crypto/sign.js";
import {
  replySignatureCandidates,
  signatureCandidates,
  signedParams,
  signedReplyParams,
} from "../../worker/src/protocol/index.js";
import type { LoadedEnvelope } from "./envelope.js";
import { maskKey } from "./key.js";
import { serviceForSpelling } from "./services.js";

/** One canonical string a verifier accepts for an envelope. */
export interface Candidate {
  /** What makes this form differ from the others ("service=TestNet", "empty values left out"). */
  label: string;
  service: string | undefined;
  emptyOmitted: boolean;
  params: Record<string, string>;
  sign: string;
}

export interface CandidateSet {
  /** The service the envelope names, when it names a known one. */
  def: ServiceDefinition | undefined;
  /** Service spellings tried (requests only). */
  spellings: string[];
  candidates: Candidate[];
}

/** What the envelope signs, for `sign`: every signed base param present, service replaced when asked. */
export function paramsToSign(envelope: LoadedEnvelope, service: string | undefined): Record<string, string> {
  if (envelope.kind === "reply") return signedReplyParams(envelope.params);
  const params = signedParams(envelope.params);
  const spelling = service ?? params.service ?? envelope.pathService;
  if (spelling !== undefined) params.service = spelling;
  return params;
}

/**
 * Every canonical form the gateway accepts for this envelope. Requests: the spellings exactly as the gateway's
 * authenticate() builds them (sent service, GET path, the service's wire name and aliases), plus `extra`, run
 * through the protocol's signatureCandidates. Replies: the protocol's replySignatureCandidates, the forms
 * openReply accepts (all signed params; empty values left out).
 */
export function candidatesFor(envelope: LoadedEnvelope, key: string, extra: readonly string[] = []): CandidateSet {
  if (envelope.kind === "reply") {
    return {
      def: undefined,
      spellings: [],
      candidates: replySignatureCandidates(envelope.params, key).map((c) => ({
        ...c,
        label: c.emptyOmitted ? "empty values left out" : "all signed params",
      })),
    };
  }
  const { params, pathService } = envelope;
  const spelling = params.service ?? pathService ?? "";
  const def =
    serviceForSpelling(spelling, "platformToHospital") ??
    (pathService ? serviceForSpelling(pathService, "platformToHospital") : undefined) ??
    serviceForSpelling(spelling, "hospitalToPlatform");
  const spellings = [
    ...new Set([
      spelling,
      ...(pathService ? [pathService] : []),
      ...(def ? [def.wireName, ...def.aliases] : []),
      ...extra,
    ]),
  ];
  const candidates = signatureCandidates(params, key, spellings).map((c) => ({
    label: [
      c.service !== undefined ? `service=${c.service}` : "no service",
      c.emptyOmitted ? "empty values left out" : "",
    ]
      .filter(Boolean)
      .join(", "),
    service: c.service,
    emptyOmitted: c.emptyOmitted,
    params: c.params,
    sign: c.sign,
  }));
  return { def, spellings, candidates };
}

/** The canonical string as signed, with the key masked unless `showKey`. */
export function displayCanonical(params: Readonly<Record<string, string>>, key: string, showKey: boolean): string {
  return canonicalString(params, showKey ? key : maskKey(key));
}
