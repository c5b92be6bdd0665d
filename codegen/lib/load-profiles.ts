import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import Ajv, { type ErrorObject } from "ajv";
import { parseDocument } from "yaml";
import type { Profile } from "./profile-model.js";
import { SpecError, yamlPathOf } from "./spec-error.js";

export interface ProfileSource {
  /** Path for messages, relative to the repository (profiles/demo-legacy.yaml). */
  file: string;
  /** Folder holding <name>/hooks/ and <name>/examples/. */
  dir: string;
  profile: Profile;
}

let validator: ReturnType<Ajv["compile"]> | undefined;

function schemaValidator(root: string): ReturnType<Ajv["compile"]> {
  if (!validator) {
    const ajv = new Ajv({ allErrors: false, strict: true, strictRequired: false, allowUnionTypes: true });
    validator = ajv.compile(JSON.parse(readFileSync(join(root, "profiles/schema/profile.schema.json"), "utf8")));
  }
  return validator;
}

function describe(err: ErrorObject): string {
  if (err.keyword === "additionalProperties")
    return `unknown key "${(err.params as { additionalProperty: string }).additionalProperty}"`;
  if (err.keyword === "enum")
    return `${err.message}: ${(err.params as { allowedValues: unknown[] }).allowedValues.join(", ")}`;
  if (err.keyword === "oneOf") return "must be a path, a value rule ({from, map, …}) or a list rule ({each, fields})";
  return err.message ?? err.keyword;
}

/** Parses and schema-checks one profile's YAML text. */
export function readProfile(text: string, file: string, root: string): Profile {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true, merge: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    throw new SpecError(file, `line ${first.linePos?.[0]?.line ?? "?"}`, first.message.split("\n")[0]!);
  }
  const data = doc.toJS() as unknown;
  const validate = schemaValidator(root);
  if (!validate(data)) {
    // Among the errors, the deepest is the most specific; a oneOf's branch errors are noise beside it.
    const errs = [...(validate.errors ?? [])].sort((a, b) => b.instancePath.length - a.instancePath.length);
    throw new SpecError(file, yamlPathOf(errs[0]!), describe(errs[0]!));
  }
  return data as Profile;
}

/** Every profile in a folder (profiles/ or test/profiles/), sorted by name; the name must be the file's. */
export function loadProfiles(dir: string, root: string): ProfileSource[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => {
      const file = relative(root, join(dir, f));
      const profile = readProfile(readFileSync(join(dir, f), "utf8"), file, root);
      if (profile.name !== basename(f, ".yaml"))
        throw new SpecError(file, "name", `must equal the file name "${basename(f, ".yaml")}"`);
      return { file, dir, profile };
    });
}
