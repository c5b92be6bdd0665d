/** A non-null, non-array object: what a JSON or XML reader gives for an element with children. */
export const isObject = (value: unknown): value is object => typeof value === "object" && value !== null;

/** A plain JSON object (not an array). */
export const isRecord = (value: unknown): value is Record<string, unknown> => isObject(value) && !Array.isArray(value);

/** One field of a parsed or typed payload, by name, as unknown (the generated types are interfaces). */
export const fieldOf = (value: object, name: string): unknown => Reflect.get(value, name);

/** The message of anything thrown. */
export const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));
