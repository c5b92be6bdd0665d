// `npm run test:browser`: the docs page in a real browser (Debian's chromium through playwright-core) against
// `wrangler dev`. Plain Node, one file at a time; not part of the default projects (vitest.config.ts).
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  test: {
    name: "browser",
    include: ["test/browser/**/*.browser.test.ts"],
    environment: "node",
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
