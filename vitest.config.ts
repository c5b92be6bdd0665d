import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { CONFIG_TENANTS } from "./test/support/config-tenants.js";
import { createHisStub } from "./test/support/his-stub.js";
import { outbound } from "./test/support/outbound.js";

export default defineConfig({
  test: {
    silent: "passed-only",
    projects: [
      {
        // spec, codegen, validators, CLI, and the pure protocol module's unit tests beside it: plain Node.
        test: {
          name: "node",
          include: ["test/node/**/*.test.ts", "worker/src/**/*.test.ts"],
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
              serviceBindings: { HIS_STUB: createHisStub() },
              outboundService: outbound,
            },
          }),
        ],
        test: { name: "worker", include: ["test/worker/**/*.test.ts"], testTimeout: 30_000 },
      },
    ],
  },
});
