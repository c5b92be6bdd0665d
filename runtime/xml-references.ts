import { EntityDecoder } from "@nodable/entities";

// How every XML text hisgate reads (the platform's envelopes, an HIS profile's answers) decodes references: the
// five predefined entities and numeric character references, nothing declared (a DOCTYPE is refused before).
// A reference to a character XML 1.0 cannot carry is refused, never dropped (dropping would let "1&#1;2" pass as
// "12"): C0 controls are decoded (the decoder's XML 1.1 rule) so that the validators' character check names the
// field; &#0; fails the parse.
class StrictReferenceDecoder extends EntityDecoder {
  // The parser announces each document's <?xml version?>; under "1.0" the decoder would drop C0 references again,
  // and on one shared decoder one document's declaration would change how the next is read.
  override setXmlVersion(): void {}
}

export const xmlReferenceDecoder = new StrictReferenceDecoder({ ncr: { xmlVersion: 1.1, nullNCR: "throw" } });

/** Two root elements of one name come back from fast-xml-parser as one key holding an array. */
export const hasOneRoot = (doc: Record<string, unknown>): boolean => {
  const roots = Object.keys(doc);
  return roots.length === 1 && !Array.isArray(doc[roots[0]!]);
};
