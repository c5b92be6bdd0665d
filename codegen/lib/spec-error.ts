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
