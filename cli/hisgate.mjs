#!/usr/bin/env node
// `npx hisgate` launcher: registers tsx's ESM loader (Node >= 20.6) and runs the TypeScript CLI from source,
// so the CLI is the worker's own code, never a build of it.
import { register } from "tsx/esm/api";

register();
await import("./main.ts");
