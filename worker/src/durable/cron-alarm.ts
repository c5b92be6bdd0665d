import { DurableObject } from "cloudflare:workers";
import { checkEveryTenant } from "../alerts/check.js";
import type { Bindings } from "../env.js";
import { errorFields, log } from "../log.js";

const SECOND = 1000;

/** Seconds between runs (CRON_ALARM_SECONDS, default 60: the cron's each minute); tests run it faster. */
const periodMs = (env: Bindings): number => {
  const s = Number(env.CRON_ALARM_SECONDS);
  return (Number.isFinite(s) && s >= 1 ? s : 60) * SECOND;
};

/** The next boundary of the period after `now` (each minute on the minute, as a cron's * * * * * runs). */
const nextTick = (now: number, period: number): number => (Math.floor(now / period) + 1) * period;

/**
 * The each-minute cron trigger where there is no cron: on the hospital's own server workerd has no scheduler, so
 * `npm run build` binds this object (selfhost/plan.ts, CRON_ALARM) and its alarm runs the very job the `scheduled`
 * handler runs on Cloudflare. A Durable Object alarm rather than a timer in the Node launcher because it lives in
 * workerd's own storage: it survives a restart or a SIGKILL (the overdue run comes first thing), needs no internal
 * route or secret that a caller could reach, and runs under bare `workerd serve dist/hisgate.capnp` as well, without
 * Node. The first request after the very first start arms it (nothing can be alerted on before any request); from
 * then on it re-arms itself.
 */
export class CronAlarm extends DurableObject<Bindings> {
  /** Sets the alarm unless one is already set: cheap and idempotent, called once per isolate. */
  async arm(): Promise<void> {
    if ((await this.ctx.storage.getAlarm()) === null)
      await this.ctx.storage.setAlarm(nextTick(Date.now(), periodMs(this.env)));
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    // The next run is set before this one works: a check that throws, hangs or dies with the process never stops
    // the clock (a throwing alarm would be retried a few times and then dropped).
    await this.ctx.storage.setAlarm(nextTick(now, periodMs(this.env)));
    try {
      await checkEveryTenant(this.env, now);
    } catch (err) {
      log("error", "alerts.cron_alarm_failed", errorFields(err));
    }
  }
}

/** The object every server uses (one per data directory). */
const cronAlarmOf = (ns: DurableObjectNamespace) => {
  // Bindings types CRON_ALARM untyped (env.ts: naming the class there would make the two import each other).
  const typed = ns as unknown as DurableObjectNamespace<CronAlarm>;
  return typed.get(typed.idFromName("cron"));
};

let armed = false;

/** Once per isolate, after the answer: makes sure the alarm is set where CRON_ALARM is bound (self-hosted only). */
export function armCronAlarm(env: Bindings, ctx: Pick<ExecutionContext, "waitUntil">): void {
  if (armed || !env.CRON_ALARM) return;
  armed = true;
  ctx.waitUntil(
    cronAlarmOf(env.CRON_ALARM)
      .arm()
      .catch((err: unknown) => {
        // Tried again on the next request.
        armed = false;
        log("warn", "alerts.cron_alarm_unarmed", { error: err instanceof Error ? err.name : typeof err });
      }),
  );
}
