// The protocol of the standard as pure functions (no Hono, no env): what the routes, the docs page's try form,
// the CLI and the benchmarks all call. Lower layers: crypto/ (AES, MD5) and payload/ (the XML and JSON readers).
export * from "./envelope.js";
export * from "./payload.js";
export * from "./reply.js";
export * from "./request.js";
export * from "./signature.js";
export * from "./soap.js";
export * from "./text.js";
