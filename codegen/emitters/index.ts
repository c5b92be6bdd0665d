import type { Project } from "ts-morph";
import type { OutputFile } from "../lib/header.js";
import type { Spec } from "../lib/model.js";
import { emitEnums } from "./enums.js";
import { emitEnvelope } from "./envelope.js";
import { emitOpenApi } from "./openapi.js";
import { emitProfiles } from "./profiles.js";
import { emitRegistry } from "./registry.js";
import { emitTrail } from "./trail.js";
import { emitTypes } from "./types.js";
import { emitValidators } from "./validators.js";

export type Emitter = (spec: Spec, project: Project) => OutputFile[] | Promise<OutputFile[]>;

/** One emitter per artifact; codegen runs them in this order. */
export const emitters: Record<string, Emitter> = {
  types: emitTypes,
  enums: emitEnums,
  envelope: emitEnvelope,
  validators: emitValidators,
  registry: emitRegistry,
  openapi: emitOpenApi,
  trail: emitTrail,
  profiles: emitProfiles,
};
