import type { ErrorObject } from "ajv";
/** A broken spec: names the file, the path inside it and the reason, so a maintainer can fix it at once. */
export class SpecError extends Error {
  constructor(
    readonly file: string,
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${file}: ${path || "(root)"}: ${reason}`);
    this.name = "SpecError";
  }
}

/** An ajv error's JSON pointer as maintainers read YAML: dotted names, [i] for array indexes. */
export function yamlPathOf(err: ErrorObject): string {
  return err.instancePath
    .split("/")
    .slice(1)
    .map((seg) => (/^\d+$/.test(seg) ? `[${seg}]` : `.${seg.replace(/~1/g, "/").replace(/~0/g, "~")}`))
    .join("")
    .replace(/^\./, "");
}
