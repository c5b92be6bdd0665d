// KY-HIS keeps the same hospital as demo/his (one seed, one booking logic): each of its interfaces reads its own
// dialect, asks the demo hospital's service in the standard's terms, and writes the answer back in its dialect.
import { getService } from "../../../generated/registry.js";
import type { ServicePayloads } from "../../../generated/types.js";
import type { Now, Store } from "../../his/src/data.js";
import { handleHis, type HisService } from "../../his/src/his.js";
import { BusinessError } from "../../his/src/records.js";
import { ParamError } from "./wire.js";

export { BusinessError };

type Req<K extends HisService> = ServicePayloads[K]["request"];
type Res<K extends HisService> = ServicePayloads[K]["response"];

/**
 * Runs a service of the demo hospital. The request is checked against the standard first (what KY-HIS read must
 * make a valid request), so a dialect field read wrong is a ParamError here, not a wrong booking. A business answer
 * other than success is thrown as BusinessError with the standard's S-code, which each surface words its own way.
 */
export function serve<K extends HisService>(service: K, request: Req<K>, store: Store, now: Now): Res<K> {
  const checked = getService(service)!.validateRequest(request);
  if (!checked.ok) throw new ParamError(`参数不正确：${checked.errors.map((e) => e.message).join("；")}`);
  return handleHis(service, checked.value as Req<K>, store, now) as Res<K>;
}

/** Like serve, but a query that found nothing (the service's "no record" code) is an empty answer: undefined. */
export function query<K extends HisService>(
  service: K,
  request: Req<K>,
  store: Store,
  now: Now,
  noRecord: string,
): Res<K> | undefined {
  try {
    return serve(service, request, store, now);
  } catch (err) {
    if (err instanceof BusinessError && err.code === noRecord) return undefined;
    throw err;
  }
}

/** Large enough for "every row": KY-HIS lists are unpaged or paged by itself. */
export const ALL_ROWS = { currentPage: 1, pageSize: 100_000 } as const;
