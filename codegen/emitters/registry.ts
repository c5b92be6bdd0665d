import { VariableDeclarationKind, type Project } from "ts-morph";
import { header, type OutputFile } from "../lib/header.js";
import type { Field, Idempotency, Service, Spec } from "../lib/model.js";
import { validatorName } from "../lib/naming.js";
import { printed } from "../lib/project.js";

/** A payload's element tree: [name] for a scalar, [name, children] for a list node. */
function shape(fields: Field[]): string {
  return `[${fields.map((f) => (f.type === "list" ? `[${JSON.stringify(f.name)}, ${shape(f.fields!)}]` : `[${JSON.stringify(f.name)}]`)).join(", ")}]`;
}

// A refused payment, refund or order is retried by the platform (more load, not less) and leaves money or a slot
// in limbo meanwhile; their repeats are answered from the idempotency record without the HIS. A notification is
// stored, not forwarded, and its delivery is paced by the queue. Everything else is refused past the limit.
const NEVER_REFUSED: ReadonlySet<Service["sideEffects"]> = new Set(["once", "notify"]);

/** Read from the service's sideEffects, the spec's one statement of what a call changes. */
const rateLimited = (s: Service): boolean => s.direction === "platformToHospital" && !NEVER_REFUSED.has(s.sideEffects);

/** The service registry: names, wire spellings, direction, element trees (list paths for the XML reader), validators. */
export function emitRegistry(spec: Spec, project: Project): OutputFile[] {
  const file = project.createSourceFile("registry.ts", "", { overwrite: true });
  file.addImportDeclaration({
    namedImports: spec.services.flatMap((s) => [validatorName(s, "request"), validatorName(s, "response")]),
    moduleSpecifier: "./validators.js",
  });
  file.addImportDeclaration({ isTypeOnly: true, namedImports: ["Result"], moduleSpecifier: "../runtime/validate.js" });
  file.addImportDeclaration({
    isTypeOnly: true,
    namedImports: ["ServiceName", "ServicePayloads"],
    moduleSpecifier: "./types.js",
  });

  file.addTypeAlias({
    name: "Shape",
    isExported: true,
    docs: ["Element tree of a payload, in the table's order: [name] is a scalar, [name, children] a list node."],
    type: "readonly (readonly [name: string] | readonly [name: string, children: Shape])[]",
  });
  file.addTypeAlias({ name: "Direction", isExported: true, type: `"platformToHospital" | "hospitalToPlatform"` });
  file.addTypeAlias({
    name: "SideEffects",
    isExported: true,
    docs: [
      "What calling a service changes (spec: sideEffects). none: a read, safe to repeat; once / notify: a change made",
      "once per idempotency key; write: a change with no key hisgate can use, never repeated blindly.",
    ],
    type: `"none" | "once" | "notify" | "write"`,
  });
  file.addInterface({
    name: "ServiceDefinition",
    isExported: true,
    docs: ["One service; N narrows it to one service, whose validators then give its own request and response types."],
    typeParameters: [{ name: "N", constraint: "ServiceName", default: "ServiceName" }],
    properties: [
      { name: "name", type: "N", docs: ["hisgate's name (the heading of the seed's section)."] },
      { name: "wireName", type: "string", docs: ["The `service` value on the wire."] },
      { name: "aliases", type: "readonly string[]", docs: ["Other spellings seen on the wire (TestNet: NetTest)."] },
      { name: "direction", type: "Direction" },
      { name: "sideEffects", type: "SideEffects" },
      { name: "section", type: "string" },
      { name: "title", type: "string" },
      { name: "titleEn", type: "string" },
      { name: "hasResponse", type: "boolean", docs: ["False where the seed's business response is 无."] },
      { name: "request", type: "Shape" },
      { name: "response", type: "Shape" },
      {
        name: "listPaths",
        type: "ReadonlySet<string>",
        docs: ["Dotted element paths of list nodes, from the root element (request.user, response.patient.card)."],
      },
      { name: "pageSizeField", type: `"pageSize" | undefined` },
      {
        name: "csvFields",
        type: "readonly string[]",
        docs: ["Top-level response fields holding a statement table, also handed over parsed as `<name>Rows`."],
      },
      {
        name: "idempotency",
        type: `{ readonly mode: "once" | "notify"; readonly key: readonly string[]; readonly fingerprint: readonly string[] | undefined } | undefined`,
        docs: [
          "How duplicates are told apart, where the effect must happen once. fingerprint: the request fields that make",
          "two requests with the same key different events (REPEAT_TRANSACTION); undefined = the whole request.",
        ],
      },
      {
        name: "rateLimited",
        type: "boolean",
        docs: [
          "Whether a tenant's rateLimit may refuse it: platform -> hospital services other than once-only and notify ones",
          "(spec/README.md, Rate limits).",
        ],
      },
      {
        name: "resultCodes",
        type: "Readonly<Record<string, string>>",
        docs: ["The service's business result codes and messages."],
      },
      {
        name: "finalResultCodes",
        type: "ReadonlySet<string>",
        docs: [
          "The answers that are definite (outcome: final in spec/): the unified codes so marked (SUCCESS) and the",
          "service's final business codes. Any other code, listed or not, is transient: never kept as a once-only",
          "answer, and a notification answered with it is retried.",
        ],
      },
      { name: "validateRequest", type: `(input: unknown) => Result<ServicePayloads[N]["request"]>` },
      { name: "validateResponse", type: `(input: unknown) => Result<ServicePayloads[N]["response"]>` },
    ],
  });

  const idempotencyLiteral = ({ mode, key, fingerprint }: Idempotency): string =>
    `{ mode: ${JSON.stringify(mode)}, key: ${JSON.stringify(key)}, fingerprint: ${
      fingerprint.fields === "request" ? "undefined" : JSON.stringify(fingerprint.fields)
    } }`;
  const unifiedFinal = spec.resultCodes.filter((c) => c.outcome === "final").map((c) => c.code);
  const finalCodes = (s: Service): string[] => [
    ...unifiedFinal,
    ...s.resultCodes.filter((c) => c.outcome === "final").map((c) => c.code),
  ];

  const listPaths = (root: string, fields: Field[]): string[] =>
    fields.flatMap((f) =>
      f.type === "list" ? [`${root}.${f.name}`, ...listPaths(`${root}.${f.name}`, f.fields!)] : [],
    );

  file.addTypeAlias({
    name: "AnyServiceDefinition",
    isExported: true,
    docs: ['Any one service, narrowed by its name: `def.name === "Pay"` makes `def` a ServiceDefinition<"Pay">.'],
    type: "{ [N in ServiceName]: ServiceDefinition<N> }[ServiceName]",
  });
  file.addVariableStatement({
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    docs: ["Every service of chapter 2, in the seed's order of sections."],
    declarations: [
      {
        name: "services",
        type: "readonly AnyServiceDefinition[]",
        initializer: `[${[...spec.services]
          .sort((a, b) => a.section.localeCompare(b.section, "en", { numeric: true }))
          .map((s) => {
            const paths = [
              ...listPaths("request", s.request.fields),
              ...listPaths("response", s.response?.fields ?? []),
            ];
            return `{
  name: ${JSON.stringify(s.name)},
  wireName: ${JSON.stringify(s.wireName)},
  aliases: ${JSON.stringify(s.aliases)},
  direction: ${JSON.stringify(s.direction)},
  sideEffects: ${JSON.stringify(s.sideEffects)},
  section: ${JSON.stringify(s.section)},
  title: ${JSON.stringify(s.title)},
  titleEn: ${JSON.stringify(s.titleEn)},
  hasResponse: ${s.response !== null},
  request: ${shape(s.request.fields)},
  response: ${shape(s.response?.fields ?? [])},
  listPaths: new Set(${JSON.stringify(paths)}),
  pageSizeField: ${s.request.fields.some((f) => f.name === "pageSize") ? `"pageSize"` : "undefined"},
  csvFields: ${JSON.stringify((s.response?.fields ?? []).filter((f) => f.csv).map((f) => f.name))},
  idempotency: ${s.idempotency ? idempotencyLiteral(s.idempotency) : "undefined"},
  rateLimited: ${rateLimited(s)},
  resultCodes: {${s.resultCodes.map((c) => `${c.code}: ${JSON.stringify(c.message)}`).join(", ")}},
  finalResultCodes: new Set(${JSON.stringify(finalCodes(s))}),
  validateRequest: ${validatorName(s, "request")},
  validateResponse: ${validatorName(s, "response")},
}`;
          })
          .join(",\n")}]`,
      },
    ],
  });

  file.addVariableStatement({
    declarationKind: VariableDeclarationKind.Const,
    declarations: [
      {
        name: "bySpelling",
        initializer: `new Map<string, ServiceDefinition>(services.flatMap((s) => [s.wireName, ...s.aliases].map((w) => [\`\${s.direction}:\${w.toLowerCase()}\`, s] as const)))`,
      },
    ],
  });
  file.addVariableStatement({
    declarationKind: VariableDeclarationKind.Const,
    declarations: [
      { name: "byName", initializer: "new Map<string, ServiceDefinition>(services.map((s) => [s.name, s]))" },
    ],
  });
  file.addFunction({
    name: "findService",
    isExported: true,
    docs: [
      "Looks a wire spelling up, case-insensitively (the GET example's path says testnet; its signature says NetTest).",
      "The same wire name may mean two services, one per direction (GetStatement), hence the direction.",
    ],
    parameters: [
      { name: "direction", type: "Direction" },
      { name: "spelling", type: "string" },
    ],
    returnType: "ServiceDefinition | undefined",
    statements: "return bySpelling.get(`${direction}:${spelling.toLowerCase()}`);",
  });
  file.addFunction({
    name: "getService",
    isExported: true,
    overloads: [
      {
        parameters: [{ name: "name", type: "N" }],
        typeParameters: [{ name: "N", constraint: "ServiceName" }],
        returnType: "ServiceDefinition<N>",
      },
      { parameters: [{ name: "name", type: "string" }], returnType: "ServiceDefinition | undefined" },
    ],
    parameters: [{ name: "name", type: "string" }],
    returnType: "ServiceDefinition | undefined",
    statements: "return byName.get(name);",
  });
  const changing = spec.services
    .filter((s) => s.sideEffects !== "none")
    .map((s) => s.name)
    .sort();
  file.addVariableStatement({
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    docs: [
      "The services whose call changes state (sideEffects other than none): never called with a made-up payload,",
      "never retried blindly.",
    ],
    declarations: [
      {
        name: "stateChangingServices",
        type: "ReadonlySet<ServiceName>",
        initializer: `new Set(${JSON.stringify(changing)})`,
      },
    ],
  });
  return [{ name: "registry.ts", content: printed(file, header("registry", "spec/services/*.yaml")) }];
}
