import { IndentationText, Project, QuoteKind, type SourceFile } from "ts-morph";

/** An in-memory ts-morph project: emitters build source files structurally, then we print them. */
export function newProject(): Project {
  return new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Double },
  });
}

/** Prints a file with its do-not-edit header first (ts-morph would insert imports above a leading comment). */
export function printed(file: SourceFile, header: string): string {
  file.formatText({ indentSize: 2, convertTabsToSpaces: true });
  return header + file.getFullText();
}
