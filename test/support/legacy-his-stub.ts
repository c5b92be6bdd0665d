// KY-HIS (demo/legacy-his) running in Node as the worker project's LEGACY_HIS_STUB binding (vitest.config.ts), so
// that the notification queue's Durable Object delivers through the demo-legacy profile to a HIS in its own dialect.
import { memoryStore } from "../../demo/his/src/data.js";
import { app } from "../../demo/legacy-his/src/app.js";

export const LEGACY_API_KEY = "demo-legacy-key";

export function createLegacyHisStub() {
  const store = memoryStore();
  return async function legacyHisStub(request: Request): Promise<Response> {
    return app.fetch(request, { store, API_KEY: LEGACY_API_KEY });
  };
}
