// Tenant records at rest: each is sealed with AES-256-GCM under a key derived from the operator's master
// secret, with the record's own KV name as additional data, so a changed byte, a record copied under another
// hospital's name, or a record written without the master secret fails to open. Web Crypto only: the same code
// runs in the Worker and in the CLI that writes the registry.

import { createHmac } from "node:crypto";
import * as v from "valibot";

/** A record could not be opened: tampered with, or sealed under another master secret. */
export class SealError extends Error {
  override name = "SealError";
}

/** The two keys derived from the master secret: one seals records, one names token index entries. */
export interface RegistryKeys {
  seal: CryptoKey;
  /** Raw bytes: the index name is an HMAC on every /platform request, done synchronously with node:crypto. */
  index: Uint8Array;
}

const encoder = new TextEncoder();
const MIN_MASTER_BYTES = 32;

const b64 = (bytes: ArrayBuffer | Uint8Array): string =>
  Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString("base64");
const unb64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, "base64"));

/** Why a master secret cannot be used, or undefined when it can (base64 of at least 32 random bytes). */
export function masterSecretProblem(secret: string): string | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(secret.trim())) return "TENANT_MASTER_KEY must be base64";
  const bytes = unb64(secret.trim()).length;
  if (bytes < MIN_MASTER_BYTES)
    return `TENANT_MASTER_KEY is ${bytes} bytes; it needs at least ${MIN_MASTER_BYTES} (hisgate tenants keygen)`;
  return undefined;
}

/** A fresh master secret: base64 of 32 random bytes. */
export function newMasterSecret(): string {
  return b64(crypto.getRandomValues(new Uint8Array(MIN_MASTER_BYTES)));
}

/** Derives the registry's keys from the master secret (HKDF-SHA-256, one label per use). */
export async function registryKeys(secret: string): Promise<RegistryKeys> {
  const problem = masterSecretProblem(secret);
  if (problem) throw new SealError(problem);
  const ikm = await crypto.subtle.importKey("raw", unb64(secret.trim()), "HKDF", false, ["deriveKey", "deriveBits"]);
  const hkdf = (info: string) => ({
    name: "HKDF",
    hash: "SHA-256",
    salt: encoder.encode("hisgate tenant registry"),
    info: encoder.encode(info),
  });
  const [seal, index] = await Promise.all([
    crypto.subtle.deriveKey(hkdf("record seal v1"), ikm, { name: "AES-GCM", length: 256 }, false, [
      "encrypt",
      "decrypt",
    ]),
    crypto.subtle.deriveBits(hkdf("token index v1"), ikm, 256),
  ]);
  return { seal, index: new Uint8Array(index) };
}

/** Seals a record's JSON under `name` (its KV key): `{"v":1,"iv":…,"data":…}`. */
export async function seal(keys: RegistryKeys, name: string, value: unknown): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: encoder.encode(name) },
    keys.seal,
    encoder.encode(JSON.stringify(value)),
  );
  return JSON.stringify({ v: 1, iv: b64(iv), data: b64(data) });
}

/** What `seal` writes: the format's version, the nonce and the ciphertext (base64). */
const sealedRecord = v.object({ v: v.literal(1), iv: v.string(), data: v.string() });

/** Opens a record sealed under `name`; SealError when it was changed, moved or sealed with another secret. */
export async function open(keys: RegistryKeys, name: string, text: string): Promise<unknown> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SealError(`${name} is not a sealed record`);
  }
  const parsed = v.safeParse(sealedRecord, json);
  if (!parsed.success) throw new SealError(`${name} is not a sealed record`);
  const sealed = parsed.output;
  let plain: ArrayBuffer;
  try {
    plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: unb64(sealed.iv), additionalData: encoder.encode(name) },
      keys.seal,
      unb64(sealed.data),
    );
  } catch {
    throw new SealError(`${name} fails its integrity check (changed, moved, or sealed under another master secret)`);
  }
  return JSON.parse(new TextDecoder().decode(plain));
}

/**
 * The KV name under which a bearer token's owner is indexed: an HMAC of the token, so reading the registry
 * reveals neither the token nor a hash one could test guesses against without the master secret.
 */
export function tokenIndexName(keys: RegistryKeys, token: string): string {
  return `token/${createHmac("sha256", keys.index).update(token, "utf8").digest("hex")}`;
}

/** The KV name of a tenant's record. */
export function tenantRecordName(partner: string, hospitalCode: string): string {
  return `tenant/${encodeURIComponent(partner)}/${encodeURIComponent(hospitalCode)}`;
}
