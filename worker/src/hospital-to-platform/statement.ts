import Papa from "papaparse";

/**
 * The DownloadStatement text (§2.2.2.3): a header line, comma-separated, rows split by \r\n, values quoted with
 * single quotes. Parsed into rows keyed by the header, which is what finance staff reconcile with. XML
 * normalizes \r\n to \n in transit, so any line break ends a row.
 */
export function parseStatement(statement: string): Record<string, string>[] {
  const parsed = Papa.parse<Record<string, string>>(statement.trim(), {
    header: true,
    quoteChar: "'",
    escapeChar: "'",
    skipEmptyLines: "greedy",
    newline: statement.includes("\r\n") ? "\r\n" : "\n",
    transformHeader: (h) => h.trim(),
  });
  return parsed.data;
}
