// The contract's parts of the docs page: services, their fields and codes, the unified codes, the dictionaries.
import { resultCodeMessages } from "../../../generated/enums.js";
import type { Direction } from "../../../generated/registry.js";
import { bodySchema, contractServices, openapi, refName, type ContractService } from "./contract.js";
import { FieldTable, isDictionary } from "./fields.js";
import { En, inline, joined, type Markup } from "./inline.js";

const BEARER = "Authorization: Bearer <hisToken>";

/**
 * A description: paragraphs, lines kept as breaks. Its markdown tables (the business codes codegen wrote into the
 * contract for other readers) are left out: the page renders those from the registry.
 */
export function description(text: string | undefined): Markup[] {
  const paragraphs: string[][] = [[]];
  for (const line of (text ?? "").split("\n")) {
    if (line.trim().startsWith("|") || line.trim() === "") paragraphs.push([]);
    else paragraphs[paragraphs.length - 1]!.push(line);
  }
  return paragraphs.filter((lines) => lines.length).map((lines) => <p>{joined(lines.map(inline), <br />)}</p>);
}

/** A service's business result codes, from the registry. */
function BusinessCodes({ codes }: { codes: Readonly<Record<string, string>> }) {
  const rows = Object.entries(codes);
  if (!rows.length)
    return (
      <p class="meta">
        无；见<a href="#unified-codes">统一返回码</a> <En>none; the unified result codes apply</En>
      </p>
    );
  return (
    <table class="codes">
      <thead>
        <tr>
          <th>resultCode</th>
          <th>resultMessage</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([code, message]) => (
          <tr>
            <td>
              <code>{code}</code>
            </td>
            <td>{message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export const GROUPS: readonly { direction: Direction; id: string; title: string; titleEn: string; intro: Markup }[] = [
  {
    direction: "platformToHospital",
    id: "platform-to-hospital",
    title: "平台 → 医院：由医院 HIS 实现",
    titleEn: "Platform → hospital: implemented by the HIS",
    intro: (
      <>
        平台发来的签名、加密信封由 hisgate 验签、解密、校验后，以 JSON 形式 POST 到医院的
        <code>{"{hisUrl}/{service}"}</code>；HIS 返回 <code>{"{resultCode, resultMessage, data}"}</code>。
        <br />
        <En>
          hisgate verifies, decrypts and validates the platform's envelope and POSTs the typed request as JSON to{" "}
          <code>{"{hisUrl}/{service}"}</code>; the HIS answers <code>{"{resultCode, resultMessage, data}"}</code>.
        </En>
      </>
    ),
  },
  {
    direction: "hospitalToPlatform",
    id: "hospital-to-platform",
    title: "医院 → 平台：经 hisgate 调用",
    titleEn: "Hospital → platform: called through hisgate",
    intro: (
      <>
        HIS 以 <code>{BEARER}</code> 向 hisgate 的 <code>{"/platform/{service}"}</code> POST 明文 JSON；hisgate
        签名、加密后调用平台，并验签、解密平台的应答。
        <br />
        <En>
          The HIS POSTs plain JSON to hisgate's <code>{"/platform/{service}"}</code> with <code>{BEARER}</code>; hisgate
          signs, encrypts, calls the platform and verifies and decrypts its answer.
        </En>
      </>
    ),
  },
];

function ServiceBody({ s }: { s: ContractService }) {
  const { op } = s;
  const reply = bodySchema(op.responses?.["200"]);
  const replyName = reply?.$ref ? refName(reply.$ref) : "";
  const request = bodySchema(op.requestBody);
  const requestName = request?.$ref ? refName(request.$ref) : "";
  const auth = (op.security ?? []).flatMap((req) => Object.keys(req));
  return (
    <>
      <h3>
        <span class="method">{s.method}</span> {s.operationId} · {s.title}{" "}
        <span class="en" lang="en">
          {s.titleEn}
        </span>
      </h3>
      <p class="meta">
        {s.direction === "platformToHospital" ? (
          <>
            <code>{`${s.method} {hisUrl}${s.path}`}</code> · 由 HIS 实现 <En>implemented by the HIS</En>
          </>
        ) : (
          <>
            <code>{`${s.method} ${s.path}`}</code> · 由 hisgate 提供 <En>served by hisgate</En>
          </>
        )}
        {s.section ? ` · §${s.section}` : ""} · 报文服务名 <En>wire name</En>{" "}
        {joined(
          [s.wireName, ...s.aliases].map((w) => <code>{w}</code>),
          " / ",
        )}
        {auth.length ? (
          <>
            {" "}
            · 认证 <En>auth</En> <code>{BEARER}</code>
          </>
        ) : null}
      </p>
      <div class="desc">{description(op.description)}</div>
      <h4>
        请求 <En>Request</En>
        {requestName ? (
          <>
            {" "}
            <small class="mono">{requestName}</small>
          </>
        ) : null}
      </h4>
      <FieldTable schema={request} />
      <h4>
        应答 <En>Response</En>
        {replyName ? (
          <>
            {" "}
            <small class="mono">{replyName}</small>
          </>
        ) : null}
      </h4>
      <FieldTable schema={reply} />
      <ul class="meta">
        {Object.entries(op.responses ?? {}).map(([status, r]) => {
          const schema = bodySchema(r);
          const name = schema?.$ref ? refName(schema.$ref) : "";
          return (
            <li>
              <code>{status}</code> — {inline(r.description ?? "")}
              {name ? " → " : null}
              {name === "ErrorReply" ? <a href="#error-reply">ErrorReply</a> : name}
            </li>
          );
        })}
      </ul>
      <h4>
        业务返回码 <En>Business result codes</En>
      </h4>
      <BusinessCodes codes={s.resultCodes} />
    </>
  );
}

let serviceBodies: Map<string, string> | undefined;

/** Each service's section body, rendered once per isolate (the contract does not change in one). */
export async function bodies(): Promise<Map<string, string>> {
  serviceBodies ??= new Map(
    await Promise.all(
      contractServices.map(async (s) => [s.operationId, String(await (<ServiceBody s={s} />).toString())] as const),
    ),
  );
  return serviceBodies;
}

export function UnifiedCodes() {
  return (
    <section id="unified-codes">
      <h2>
        统一返回码 <En>Unified result codes</En>
      </h2>
      <p>
        每个接口都可能返回这些代码（§2.3）；各接口自己的业务返回码列在接口之下。
        <br />
        <En>Any service may answer these (§2.3); each service's own business codes are listed with it.</En>
      </p>
      <table class="codes">
        <thead>
          <tr>
            <th>resultCode</th>
            <th>resultMessage</th>
            <th>English</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(resultCodeMessages).map(([code, m]) => (
            <tr>
              <td>
                <code>{code}</code>
              </td>
              <td>{m.message}</td>
              <td lang="en">{m.messageEn}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function Dictionaries() {
  const dicts = Object.entries(openapi.components.schemas).filter(([name]) => isDictionary(name));
  return (
    <section id="dictionaries">
      <h2>
        字典 <En>Dictionaries</En>
      </h2>
      {dicts.map(([name, s]) => {
        const labels = s["x-enum-descriptions"] ?? [];
        const count = s.enum?.length ?? 0;
        return (
          <section id={`dict-${name}`}>
            <h3>
              {s.title ?? name} <small class="mono">{name}</small>
            </h3>
            {s.description ? <p class="meta">{inline(s.description)}</p> : null}
            <details open={count <= 12}>
              <summary>
                {count} 个取值 <En>values</En> · {s.type ?? ""}
              </summary>
              <table class="codes">
                <thead>
                  <tr>
                    <th>
                      值 <En>Value</En>
                    </th>
                    <th>
                      含义 <En>Label</En>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {(s.enum ?? []).map((v, i) => (
                    <tr>
                      <td>
                        <code>{v}</code>
                      </td>
                      <td>{labels[i] ?? ""}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          </section>
        );
      })}
    </section>
  );
}

export function ErrorReplySection() {
  return (
    <section id="error-reply">
      <h2>
        错误应答 <En>Error reply</En> <small class="mono">ErrorReply</small>
      </h2>
      <p>
        hisgate 对 <code>/platform/*</code> 的校验失败（400）与认证失败（401）以此应答。
        <br />
        <En>
          What hisgate answers on <code>/platform/*</code> when the body fails validation (400) or the hisToken is
          missing or unknown (401).
        </En>
      </p>
      <FieldTable schema={openapi.components.schemas.ErrorReply} />
    </section>
  );
}
