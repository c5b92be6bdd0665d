import { profiles as compiled } from "../../../generated/profiles/index.js";
import type { CompiledProfile } from "../../../runtime/profile/index.js";

// The compiled HIS profiles (profiles/*.yaml → generated/profiles/), by name.
const table = new Map<string, CompiledProfile>(Object.entries(compiled));

export const findProfile = (name: string): CompiledProfile | undefined => table.get(name);
export const profileNames = (): string[] => [...table.keys()];

/** Adds a compiled profile that is not in profiles/ (the tests' own, under test/profiles/). */
export function installProfile(profile: CompiledProfile): void {
  table.set(profile.name, profile);
}
