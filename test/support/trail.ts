// Reading a tenant's message trail straight from its Durable Object, as the worker tests check what was stored.
import { env } from "cloudflare:test";
import type { StoredMessage } from "../../worker/src/trail/types.js";

export const trailStub = (partner: string, hospitalCode: string) =>
  env.MESSAGES.get(env.MESSAGES.idFromName(`${partner}\u0000${hospitalCode}`));

/** Every stored row of the tenant's trail with the given business id, oldest first; waits briefly for waitUntil. */
export async function trailFor(
  ids: Record<string, string>,
  { partner = "TEST_WX", hospitalCode = "0", atLeast = 1 } = {},
): Promise<StoredMessage[]> {
  for (let i = 0; ; i++) {
    const { messages } = await trailStub(partner, hospitalCode).query({ ids, limit: 500, order: "asc" });
    if (messages.length >= atLeast || i >= 50) return messages;
    await new Promise((r) => setTimeout(r, 20));
  }
}
