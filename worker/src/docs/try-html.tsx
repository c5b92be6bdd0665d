// The docs page's TestNet form and its result panel.
import { DEFAULT_TRY, type TryInput, type TryResult } from "./try.js";

function TryFields({ input }: { input: TryInput }) {
  const common = { required: true, autocomplete: "off", spellcheck: false };
  return (
    <>
      <label>
        partner
        <input name="partner" value={input.partner} placeholder={DEFAULT_TRY.partner} maxlength={32} {...common} />
      </label>
      <label>
        hospitalCode
        <input
          name="hospitalCode"
          value={input.hospitalCode}
          placeholder={DEFAULT_TRY.hospitalCode}
          maxlength={64}
          {...common}
        />
      </label>
      <label>
        key
        <input
          name="key"
          title="16 字节 (AES-128) · 16 bytes"
          value={input.key}
          placeholder={DEFAULT_TRY.key}
          minlength={16}
          maxlength={16}
          class="mono"
          {...common}
        />
      </label>
      <label>
        dataFormat
        <select name="format">
          {(["xml", "json"] as const).map((v) => (
            <option value={v} selected={input.format === v}>
              {v}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">
        发送 TestNet <span lang="en">Send</span>
      </button>
    </>
  );
}

/** The four things a try shows: the request envelope, the reply envelope, the decrypted payload, the signature. */
function TryPanel({ result }: { result: TryResult | { error: string } | undefined }) {
  const r = result && "requestEnvelope" in result ? result : undefined;
  const error = result && "error" in result ? result.error : undefined;
  const status = error
    ? `错误 Error: ${error}`
    : r
      ? `HTTP ${r.httpStatus} · resultCode ${r.resultCode} · ${r.resultMessage}`
      : "";
  const Pre = ({ id, zh, en, text }: { id: string; zh: string; en: string; text: string }) => (
    <div>
      <h4>
        {zh} <span class="en">{en}</span>
      </h4>
      <pre id={id}>{text}</pre>
    </div>
  );
  return (
    <div id="try-result" class="result" aria-live="polite" hidden={!result}>
      <p class="status">
        <strong id="try-status">{status}</strong>{" "}
        {!r ? (
          <span id="try-sig" class="badge" hidden></span>
        ) : r.signatureValid ? (
          <span id="try-sig" class="badge ok">
            ✓ 签名有效 signature valid
          </span>
        ) : (
          <span id="try-sig" class="badge bad">
            ✗ 签名无效 signature invalid
          </span>
        )}
      </p>
      <Pre id="try-request" zh="请求信封" en="Request envelope (POST /wd/api)" text={r?.requestEnvelope ?? ""} />
      <Pre id="try-reply" zh="应答信封" en="Reply envelope" text={r?.replyEnvelope ?? ""} />
      <Pre
        id="try-request-payload"
        zh="请求明文"
        en="Request payload (before encryption)"
        text={r?.requestPayload ?? ""}
      />
      <Pre
        id="try-decrypted"
        zh="解密后的应答"
        en="Decrypted payload"
        text={r ? (r.decryptedPayload ?? "（无 none）") + (r.problem ? `\n\n${r.problem}` : "") : ""}
      />
    </div>
  );
}

export function TrySection({
  enabled,
  input = DEFAULT_TRY,
  result,
}: {
  enabled: boolean;
  input?: TryInput;
  result?: TryResult | { error: string };
}) {
  const head = (
    <h2>
      试一试：TestNet <span class="en">Try it: TestNet</span>
    </h2>
  );
  if (!enabled)
    return (
      <section id="try" class="try">
        {head}
        <p class="note">
          此部署已关闭（<code>DOCS_TRY=off</code>）。
          <span class="en">
            Disabled on this deployment (<code>DOCS_TRY=off</code>).
          </span>
        </p>
      </section>
    );
  return (
    <section id="try" class="try">
      {head}
      <p class="note">
        以平台身份发送一个签名、加密的 TestNet 到本网关的 <code>/wd/api</code>
        ，并显示应答。签名与加解密（MD5、AES-128-ECB，Web Crypto 不支持）在服务器端由 <code>POST /docs/try</code>{" "}
        完成，因此密钥会发送到本 worker：仅用于开发部署与测试密钥；生产环境请设置 <code>DOCS_TRY=off</code>。
        <br />
        <span class="en">
          Sends a signed, encrypted TestNet to this gateway's own <code>/wd/api</code> as the platform would, and shows
          the reply. Signing and encryption (MD5, AES-128-ECB: not in Web Crypto) happen on the server, in{" "}
          <code>POST /docs/try</code>, so the key travels to this worker: use it on dev deployments with test keys only;
          production sets <code>DOCS_TRY=off</code>.
        </span>
      </p>
      <form id="try-form" method="post" action="/docs/try">
        <TryFields input={input} />
      </form>
      <TryPanel result={result} />
    </section>
  );
}
