// The runtime of compiled HIS profiles: the only module generated/profiles/*.ts import.
export * from "./dates.js";
export * from "./rows.js";
export * from "./types.js";
export * from "./values.js";
export * from "./wire.js";
