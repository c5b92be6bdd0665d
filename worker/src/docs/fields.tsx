// The field tables of the docs page: one row per field of a request or answer schema, with its type, constraints,
// unit and dictionary.
import { openapi, resolve, type Schema } from "./contract.js";
import { En, inline, joined, type Markup } from "./inline.js";

export const isDictionary = (ref: string | undefined): boolean =>
  !!ref && ref.endsWith("Value") && !!openapi.components.schemas[ref]?.enum;

function enumList(schema: Schema): Markup {
  const values = schema.enum;
  if (!values?.length) return null;
  const labels = schema["x-enum-descriptions"] ?? [];
  const list = (
    <ul class="enum">
      {values.map((v, i) => (
        <li>
          <code>{v}</code>
          {labels[i] ? ` — ${labels[i]}` : ""}
        </li>
      ))}
    </ul>
  );
  if (values.length <= 12) return list;
  return (
    <details>
      <summary>
        {values.length} 个取值 <En>values</En>
      </summary>
      {list}
    </details>
  );
}

function typeCell(schema: Schema, ref: string | undefined): Markup {
  if (schema.type === "array") {
    const item = resolve(schema.items ?? {});
    return `array<${item.ref ?? item.schema.type ?? "object"}>`;
  }
  if (ref === "ResultCode")
    return (
      <>
        string · <a href="#unified-codes">ResultCode</a>
      </>
    );
  if (schema.type === "object" || schema.properties) return `object${ref ? ` · ${ref}` : ""}`;
  const decimal = schema["x-decimal"];
  const detail = decimal
    ? ` · decimal(${decimal.precision},${decimal.scale})`
    : schema.format
      ? ` · ${schema.format}`
      : "";
  return (
    <>
      {schema.type ?? ""}
      {detail}
      {ref && isDictionary(ref) ? (
        <>
          <br />
          <a href={`#dict-${ref}`}>{openapi.components.schemas[ref]?.title ?? ref}</a>
        </>
      ) : null}
    </>
  );
}

function formatCell(schema: Schema): Markup {
  const parts: Markup[] = [];
  if (schema["x-format"]) parts.push(schema["x-format"]);
  if (schema.pattern) parts.push(<code>{schema.pattern}</code>);
  if (schema.multipleOf !== undefined) parts.push(`×${schema.multipleOf}`);
  if (schema.examples?.length && schema.type !== "object")
    parts.push(
      <>
        例 <En>e.g.</En> <code>{String(schema.examples[0])}</code>
      </>,
    );
  return joined(parts, <br />);
}

/** One row per field, nested lists and objects flattened under their parent (user[].id, data.patient[].card). */
function fieldRows(schema: Schema, prefix = "", depth = 0): Markup[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).flatMap(([name, property]) => {
    const { schema: p, ref } = resolve(property);
    const path = `${prefix}${name}`;
    const nested = p.type === "array" ? resolve(p.items ?? {}).schema : p.properties ? p : undefined;
    const row = (
      <tr class={nested ? "group-row" : undefined} data-field={path}>
        <td class="name">
          {depth ? <span class="indent">{prefix}</span> : null}
          <code>{name}</code>
        </td>
        <td>{typeCell(p, ref)}</td>
        <td class="req">
          {required.has(name) ? (
            <>
              是 <En>Y</En>
            </>
          ) : null}
        </td>
        <td>{p.maxLength ?? ""}</td>
        <td>{formatCell(p)}</td>
        <td>{p["x-unit"] ?? ""}</td>
        <td>
          {p.description ? inline(p.description) : null}
          {ref === "ResultCode" ? (
            <>
              <br />
              SUCCESS、<a href="#unified-codes">统一返回码</a>或本接口的业务返回码（见下）。
            </>
          ) : (
            enumList(p)
          )}
        </td>
      </tr>
    );
    return nested?.properties
      ? [row, ...fieldRows(nested, `${path}${p.type === "array" ? "[]" : ""}.`, depth + 1)]
      : [row];
  });
}

export function FieldTable({ schema }: { schema: Schema | undefined }) {
  if (!schema)
    return (
      <p class="meta">
        无 <En>none</En>
      </p>
    );
  const rows = fieldRows(resolve(schema).schema);
  if (!rows.length)
    return (
      <p class="meta">
        无字段 <En>no fields</En>
      </p>
    );
  return (
    <table class="fields">
      <thead>
        <tr>
          <th>
            字段 <En>Field</En>
          </th>
          <th>
            类型 <En>Type</En>
          </th>
          <th>
            必填 <En>Req.</En>
          </th>
          <th>
            最大长度 <En>Max len.</En>
          </th>
          <th>
            格式 <En>Format</En>
          </th>
          <th>
            单位 <En>Unit</En>
          </th>
          <th>
            说明 <En>Description</En>
          </th>
        </tr>
      </thead>
      <tbody>{rows}</tbody>
    </table>
  );
}
