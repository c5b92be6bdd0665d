// The standard's date and time formats, in one place: their names in messages (runtime/validate.ts), and the
// patterns and examples the HIS contract states (codegen/emitters/openapi.ts). The validators check them with
// a hand-written scanner (validate.ts matchesFormat), which also rejects impossible dates the patterns accept.

export type Format = "date" | "time" | "datetime" | "timeRange" | "timeRangeCompact";

export interface FormatSpec {
  /** As the standard writes it (YYYY-MM-DD HH24:MI:SS), for messages. */
  name: string;
  /** A regular expression for the contract (JSON Schema `pattern`). */
  pattern: string;
  /** An example from the seed. */
  example: string;
}

const HOUR_MINUTE = "([01]\\d|2[0-3]):[0-5]\\d";

export const FORMATS: Readonly<Record<Format, FormatSpec>> = {
  date: { name: "YYYY-MM-DD", pattern: "^\\d{4}-\\d{2}-\\d{2}$", example: "2017-02-08" },
  time: { name: "HH24:MI", pattern: `^${HOUR_MINUTE}$`, example: "09:00" },
  datetime: {
    name: "YYYY-MM-DD HH24:MI:SS",
    pattern: `^\\d{4}-\\d{2}-\\d{2} ${HOUR_MINUTE}:[0-5]\\d$`,
    example: "2017-02-07 10:09:57",
  },
  timeRange: { name: "HH24:MI-HH24:MI", pattern: `^${HOUR_MINUTE}-${HOUR_MINUTE}$`, example: "08:00-09:30" },
  timeRangeCompact: {
    name: "HH24MI-HH24MI",
    pattern: "^([01]\\d|2[0-3])[0-5]\\d-([01]\\d|2[0-3])[0-5]\\d$",
    example: "0800-0930",
  },
};
