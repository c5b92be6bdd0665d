import {
  findService,
  getService,
  services,
  stateChangingServices,
  type Direction,
  type ServiceDefinition,
} from "../../generated/registry.js";
import { usage } from "./errors.js";

export const PLATFORM_TO_HOSPITAL = services.filter((s) => s.direction === "platformToHospital");
export const HOSPITAL_TO_PLATFORM = services.filter((s) => s.direction === "hospitalToPlatform");

/** Services that change state at the hospital or the platform (spec: sideEffects): never called with a made-up payload by default. */
export const STATE_CHANGING: ReadonlySet<string> = stateChangingServices;

/**
 * A service by hisgate name (Pay, DownloadStatement), case-insensitively, or by a wire spelling (NetTest).
 * The wire name GetStatement is the platform -> hospital service; the hospital -> platform one is DownloadStatement.
 */
export function resolveService(name: string): ServiceDefinition {
  const def =
    getService(name) ??
    services.find((s) => s.name.toLowerCase() === name.toLowerCase()) ??
    findService("platformToHospital", name) ??
    findService("hospitalToPlatform", name);
  if (def) return def;
  throw usage(
    `unknown service ${JSON.stringify(name)}; platform -> hospital: ${names(PLATFORM_TO_HOSPITAL)}; ` +
      `hospital -> platform: ${names(HOSPITAL_TO_PLATFORM)}`,
  );
}

/** The service an envelope's spelling names, the way the gateway finds it (platform -> hospital first). */
export function serviceForSpelling(spelling: string, direction?: Direction): ServiceDefinition | undefined {
  if (direction) return findService(direction, spelling);
  return findService("platformToHospital", spelling) ?? findService("hospitalToPlatform", spelling);
}

const names = (list: readonly ServiceDefinition[]): string => list.map((s) => s.name).join(", ");
