import { toError } from '@backstage/errors';
import type { ProxmoxErrorKind } from '@homelab-portal/plugin-proxmox-common';

/**
 * A failed call to Proxmox, with a message a homelab admin can act on (what
 * went wrong, and where to fix it). `kind` lets callers react without
 * parsing text.
 *
 * @public
 */
export class ProxmoxApiError extends Error {
  readonly name = 'ProxmoxApiError';
  constructor(
    readonly kind: ProxmoxErrorKind,
    message: string,
    readonly details: {
      instance: string;
      method?: string;
      path?: string;
      status?: number;
      /** Proxmox's own text (reason phrase or `message`). */
      upstreamMessage?: string;
      /** For kind `permission`: the ACL path and privilege(s) Proxmox named. */
      missing?: { path: string; privileges: string[] };
      /** For parameter errors: Proxmox's per-parameter messages. */
      parameters?: Record<string, string>;
    },
    /**
     * What only the people running the portal need (the host's address,
     * the token id), with what `publicMessage` says instead.
     */
    private readonly hidden: Record<string, string> = {},
  ) {
    super(message);
  }

  /**
   * The message for the people using the portal (API answers, pages): the
   * same, without the Proxmox host's address or the API token's id. The
   * full `message` is for the backend log.
   */
  get publicMessage(): string {
    let text = this.message;
    for (const [secretish, instead] of Object.entries(this.hidden))
      text = text.split(secretish).join(instead);
    return text;
  }

  /** Worth trying again (for idempotent calls). */
  get transient(): boolean {
    if (this.kind === 'unreachable' || this.kind === 'timeout') return true;
    if (this.kind === 'bad-response') return true;
    return (
      this.kind === 'upstream' &&
      [502, 503, 504].includes(this.details.status ?? 0)
    );
  }
}

const tlsCodes = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);
const timeoutCodes = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
]);

function codeOf(error: unknown): string | undefined {
  let e = error as { code?: string; cause?: unknown } | undefined;
  for (let i = 0; e && i < 5; i++) {
    if (typeof e.code === 'string') return e.code;
    e = e.cause as typeof e;
  }
  return undefined;
}

function messageOf(error: unknown): string {
  let e = error as { message?: string; cause?: unknown } | undefined;
  let last = String(error);
  for (let i = 0; e && i < 5; i++) {
    if (e.message && e.message !== 'fetch failed') last = e.message;
    e = e.cause as typeof e;
  }
  return last;
}

/** Turns a transport failure (no HTTP answer) into an actionable error. */
export function transportError(
  error: unknown,
  ctx: {
    instance: string;
    url: string;
    method: string;
    path: string;
    timeoutMs: number;
  },
): ProxmoxApiError {
  const code = codeOf(error);
  const name = toError(error).name;
  const where = `Proxmox instance "${ctx.instance}" (${ctx.url})`;
  const details = {
    instance: ctx.instance,
    method: ctx.method,
    path: ctx.path,
  };
  const hidden = hideAddress(ctx.url);
  if (code && tlsCodes.has(code)) {
    const hostname =
      code === 'ERR_TLS_CERT_ALTNAME_INVALID'
        ? ` The certificate is not valid for this host name: connect by a name or IP in its subject alternative names (the node name or its IP on a default install), or install a certificate for this name.`
        : '';
    return new ProxmoxApiError(
      'tls',
      `The TLS certificate of ${where} is not trusted (${code}).${hostname} Give the portal the CA that signed it: copy /etc/pve/pve-root-ca.pem from the Proxmox host and set proxmox.instances.${ctx.instance}.caFile to that file (or put the PEM in proxmox.instances.${ctx.instance}.ca).`,
      details,
      hidden,
    );
  }
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO') {
    return new ProxmoxApiError(
      'tls',
      `${where} did not answer with TLS (${code}). Proxmox VE serves its API over HTTPS on port 8006: check the port in proxmox.instances.${ctx.instance}.url.`,
      details,
      hidden,
    );
  }
  if (
    name === 'TimeoutError' ||
    name === 'AbortError' ||
    (code && timeoutCodes.has(code))
  ) {
    return new ProxmoxApiError(
      'timeout',
      `${where} did not answer ${ctx.method} ${ctx.path} within ${ctx.timeoutMs} ms. The host may be overloaded or down; the timeout is proxmox.instances.${ctx.instance}.timeoutMs.`,
      details,
      hidden,
    );
  }
  if (code && unreachableCodes.has(code)) {
    return new ProxmoxApiError(
      'unreachable',
      `Cannot reach ${where}: ${code} (${messageOf(
        error,
      )}). Check that the host is up and that proxmox.instances.${
        ctx.instance
      }.url has the right host and port (8006).`,
      details,
      hidden,
    );
  }
  return new ProxmoxApiError(
    'unreachable',
    `Cannot reach ${where}: ${messageOf(error)}.`,
    details,
    hidden,
  );
}

/** Turns an HTTP error answer into an actionable error. */
export function httpError(ctx: {
  instance: string;
  method: string;
  path: string;
  status: number;
  upstreamMessage: string;
  parameters?: Record<string, string>;
  tokenId: string;
}): ProxmoxApiError {
  const { instance, status, upstreamMessage: text } = ctx;
  const call = `${ctx.method} ${ctx.path}`;
  const details = {
    instance,
    method: ctx.method,
    path: ctx.path,
    status,
    upstreamMessage: text,
    parameters: ctx.parameters,
  };
  const hidden = { [ctx.tokenId]: '<token id>' };
  if (status === 401) {
    return new ProxmoxApiError(
      'authentication',
      `Proxmox instance "${instance}" refused the API token ${
        ctx.tokenId
      } (401 ${
        text || 'Authentication failed!'
      }). Check the token id (user@realm!tokenid, e.g. backstage@pve!catalog) and its secret in the portal config, and in Proxmox that the token and its user exist, are enabled and have not expired.`,
      details,
      hidden,
    );
  }
  if (status === 403) {
    const m = /Permission check failed \(([^,]+), ([^)]+)\)/.exec(text);
    if (m) {
      const privileges = m[2].split('|').map(s => s.trim());
      return new ProxmoxApiError(
        'permission',
        `The API token ${
          ctx.tokenId
        } of Proxmox instance "${instance}" lacks the privilege ${privileges.join(
          ' or ',
        )} on ${m[1]} (needed for ${call}). Grant it, e.g. pveum acl modify ${
          m[1]
        } --tokens '${ctx.tokenId}' --roles <a role with ${
          privileges[0]
        }>; with privilege separation the token's user needs it as well.`,
        { ...details, missing: { path: m[1], privileges } },
        hidden,
      );
    }
    return new ProxmoxApiError(
      'permission',
      `Proxmox instance "${instance}" refused ${call} for token ${ctx.tokenId}: ${text}`,
      details,
      hidden,
    );
  }
  if (status === 595 || status === 596) {
    const node = /^\/nodes\/([^/]+)/.exec(ctx.path)?.[1];
    return new ProxmoxApiError(
      'node-offline',
      `Node ${
        node ?? '?'
      } of Proxmox instance "${instance}" is offline or cannot be reached from the node the portal talks to (${status} ${text}).`,
      details,
      hidden,
    );
  }
  if (status === 400) {
    const params = Object.entries(ctx.parameters ?? {})
      .map(([k, v]) => `${k}: ${v}`)
      .join('; ');
    return new ProxmoxApiError(
      'upstream',
      `Proxmox instance "${instance}" rejected ${call}: ${text}${
        params ? ` (${params})` : ''
      }`,
      details,
      hidden,
    );
  }
  if (
    /^Configuration file '.*' does not exist|^hostname lookup '.*' failed|^storage '.*' does not exist|^Job '.*' does not exist|^unable to parse worker upid/.test(
      text,
    )
  ) {
    return new ProxmoxApiError(
      'not-found',
      `Proxmox instance "${instance}": ${text} (${call}).`,
      details,
      hidden,
    );
  }
  if (
    /already running|not running|guest agent|is a template|can't lock file/.test(
      text,
    )
  ) {
    return new ProxmoxApiError('conflict', text, details, hidden);
  }
  return new ProxmoxApiError(
    'upstream',
    `Proxmox instance "${instance}" answered ${status} to ${call}: ${
      text || '(no message)'
    }`,
    details,
    hidden,
  );
}

/** The host's address in a message, as `publicMessage` leaves it out. */
export function hideAddress(url: string): Record<string, string> {
  return { [` (${url})`]: '', [url]: 'the Proxmox host' };
}
