// A notification delivered by the queue's Durable Object through an HIS profile: NotifyRegister for tenant 7004
// reaches KY-HIS (demo/legacy-his, in Node) as its own REST call (register/status, action CANCEL), and KY-HIS's own
// refusal code (4001, order unknown) comes back mapped by the profile to the standard's S05010801 and is final.
import { env, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { CONFIG_TENANTS } from "../support/config-tenants.js";
import { gateway, post, success } from "../support/gateway.js";
import { refReadReply, refReplySignatureOk } from "../support/reference.js";
import { envelope } from "../support/wires.js";

const HOSPITAL = "7004";
const queue = () => env.NOTIFICATIONS.get(env.NOTIFICATIONS.idFromName(`TEST_WX\u0000${HOSPITAL}`));
// The platform-facing answer never calls the HIS (a notification is queued); the queue delivers on its own.
const g = gateway(() => success(), CONFIG_TENANTS);

describe("notification delivery through an HIS profile", () => {
  it("NotifyRegister of an order KY-HIS does not know: rejected with the profile's S05010801, not retried", async () => {
    const orderId = `ORD${Date.now()}`;
    const wire = {
      notifyType: "1",
      orderId,
      hospitalOrderId: "HO-unknown",
      notifyTime: "2017-02-08 15:47:11",
      reason: "用户取消",
    };
    const reply = refReadReply(
      await (await g.fetch("/wd/api", post(envelope("NotifyRegister", wire, "xml", HOSPITAL)))).text(),
    );
    expect(reply.resultCode, reply.resultMessage).toBe("SUCCESS");
    expect(refReplySignatureOk(reply)).toBe(true);

    const id = `NotifyRegister:${orderId}:1`;
    const row = await vi.waitFor(
      async () => {
        await runDurableObjectAlarm(queue());
        const found = (await queue().list()).find((d) => d.id === id);
        if (!found || found.state === "pending") throw new Error(`not yet: ${found?.state ?? "no row"}`);
        return found;
      },
      { timeout: 25_000, interval: 20 },
    );
    // Through the contract's JSON instead, KY-HIS would have answered 404 for POST /NotifyRegister: SYSTEM_ERROR,
    // retried. Through the profile it is KY-HIS's 4001, which the profile maps to the standard's final code.
    expect(row).toMatchObject({ state: "rejected", hisResultCode: "S05010801", attempts: 1 });
  });
});
