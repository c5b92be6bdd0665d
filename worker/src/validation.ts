import type { ValidationError } from "../../runtime/validate.js";

/** Every failing field path with its reason, for ILLEGAL_ARGUMENT / ILLEGAL_RESPONSE messages. */
export function validationDetail(errors: readonly ValidationError[]): string {
  return errors.map((e) => e.message).join("；");
}
