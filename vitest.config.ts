import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { CONFIG_TENANTS } from "./test/support/config-tenants.js";
import { createHisStub } from "./test/support/his-stub.js";
import { createLegacyHisStub } from "./test/support/legacy-his-stub.js";
import { outbound } from "./test/support/outbound.js";

export default defineConfig({
  test: {
    silent: "passed-only",
    // A Durable Object alarm or a waitUntil may still log after its test file has finished; vitest then reports
    // the pending console RPC as an unhandled EnvironmentTeardownError and fails a run whose tests all passed.
    // Only that race is ignored: every other unhandled error still fails the run.
    onUnhandledError: (error) =>
      !(error.name === "EnvironmentTeardownError" && /Closing rpc while "onUserConsoleLog"/.test(error.message ?? "")),
    projects: [
      {
        // spec, codegen, validators, CLI, and the unit tests beside the code (each codegen emitter's given/want
        // table, the pure protocol module): plain Node.
        test: {
          name: "node",
          include: ["test/node/**/*.test.ts", "codegen/**/*.test.ts", "worker/src/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
        },
      },
      {
        // The worker itself, in workerd.
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.jsonc" },
            miniflare: {
              bindings: {
                TENANTS: JSON.stringify(CONFIG_TENANTS),
                NOTIFY_RETRY_BASE_MS: "10",
                NOTIFY_RETRY_MAX_MS: "40",
              },
              serviceBindings: { HIS_STUB: createHisStub(), LEGACY_HIS_STUB: createLegacyHisStub() },
              outboundService: outbound,
            },
          }),
        ],
        test: { name: "worker", include: ["test/worker/**/*.test.ts"], testTimeout: 30_000 },
      },
    ],
  },
});
