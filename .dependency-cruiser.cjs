// The import rules `npm run lint` checks (dependency-cruiser): no import cycles anywhere, type-only imports
// included, since a cycle of types is still two modules that cannot be understood apart.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "Modules import each other: split out what both need, or inject it (docs/try.ts gets the app's fetch).",
      from: {},
      to: { circular: true },
    },
    {
      name: "protocol-is-pure",
      severity: "error",
      comment: "worker/src/protocol is pure: no Hono, no env, no routes; routes, the CLI and the benches call it.",
      from: { path: "^worker/src/protocol/" },
      to: {
        path: [
          "^node_modules/hono",
          "^worker/src/(env|app|routes|render|platform-to-hospital|hospital-to-platform|durable|middleware|config)",
        ],
      },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    exclude: { path: ["\\.test\\.ts$"] },
  },
};
