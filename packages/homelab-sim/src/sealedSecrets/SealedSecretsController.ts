import { toError } from '@backstage/errors';
import { parseAllDocuments } from 'yaml';
import {
  sealSecret,
  scopeFromAnnotations,
  SealedSecretObject,
  unsealSecret,
  UnsealError,
} from './crypto';
import { SealingKeys } from './keys';

/** One answer of the controller's HTTP server, before any transport. */
export type ControllerResponse = {
  status: number;
  headers: Record<string, string>;
  body: string;
};

const text = (status: number, body: string, headers = {}) => ({
  status,
  headers: { 'content-type': 'text/plain; charset=utf-8', ...headers },
  body,
});

/**
 * GCRA limiter as the controller's `throttled` library runs it: `rate` per
 * second with `burst` extra, so `burst + 1` requests pass at once and then
 * one every 1/rate seconds.
 */
class RateLimiter {
  private readonly tat = new Map<string, number>();
  private readonly interval: number;
  private readonly tolerance: number;

  constructor(
    rate: number,
    private readonly burst: number,
    private readonly now: () => number,
  ) {
    this.interval = 1000 / rate;
    this.tolerance = this.interval * (burst + 1);
  }

  /** Undefined when the request may pass; otherwise the 429 answer. */
  take(key: string): ControllerResponse | undefined {
    const now = this.now();
    const tat = Math.max(this.tat.get(key) ?? now, now);
    const next = tat + this.interval;
    const allowAt = next - this.tolerance;
    const limit = String(this.burst + 1);
    if (now < allowAt) {
      const retryAfter = Math.ceil((allowAt - now) / 1000);
      return text(429, 'limit exceeded\n', {
        'x-ratelimit-limit': limit,
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.ceil((tat - now) / 1000)),
        'retry-after': String(retryAfter),
      });
    }
    this.tat.set(key, next);
    if (this.tat.size > 65536) this.tat.clear();
    return undefined;
  }
}

/**
 * The sealed-secrets controller's HTTP server (`pkg/controller/server.go`,
 * notes/gitops-sealed-secrets-httproute.md §1.5), reached through the
 * Kubernetes API service proxy:
 *
 *   GET  /v1/cert.pem   current certificate, `application/x-pem-file`
 *   POST /v1/verify     200 when every value opens, 409 when one does not,
 *                       500 when the body is not one SealedSecret
 *   POST /v1/rotate     the SealedSecret re-encrypted with the latest key
 *   GET  /healthz, /readyz
 *
 * Like the Go mux, handlers do not look at the method; verify and rotate are
 * rate limited per `X-Forwarded-For` (2/s, burst 2).
 */
export class SealedSecretsController {
  private readonly limiter: RateLimiter;

  constructor(
    private readonly keys: SealingKeys,
    options: { now?: () => number } = {},
  ) {
    this.limiter = new RateLimiter(2, 2, options.now ?? Date.now);
  }

  get certificatePem() {
    return this.keys.certificatePem;
  }

  handle(path: string, body: Buffer, forwardedFor = ''): ControllerResponse {
    switch (path) {
      case '/healthz':
      case '/readyz':
        return text(200, 'ok\n');
      case '/v1/cert.pem':
        return {
          status: 200,
          headers: { 'content-type': 'application/x-pem-file' },
          body: this.keys.certificatePem,
        };
      case '/v1/verify':
      case '/v1/rotate': {
        const limited = this.limiter.take(`${path}|${forwardedFor}`);
        if (limited) return limited;
        return path === '/v1/verify' ? this.verify(body) : this.rotate(body);
      }
      default:
        return text(404, '404 page not found\n');
    }
  }

  private verify(body: Buffer): ControllerResponse {
    const sealed = decodeSealedSecret(body);
    if (typeof sealed === 'string') return text(500, '');
    try {
      unsealSecret(this.keys.privateKeys, sealed);
      return text(200, '');
    } catch (error) {
      if (error instanceof UnsealError) return text(409, '');
      throw error;
    }
  }

  private rotate(body: Buffer): ControllerResponse {
    const sealed = decodeSealedSecret(body);
    if (typeof sealed === 'string') return text(500, '');
    let values: Record<string, Buffer>;
    try {
      values = unsealSecret(this.keys.privateKeys, sealed);
    } catch {
      return text(500, '');
    }
    const scope = scopeFromAnnotations(sealed.metadata.annotations);
    const resealed = sealSecret(
      this.keys.certificatePem,
      {
        metadata: {
          name: sealed.metadata.name,
          namespace: sealed.metadata.namespace ?? '',
        },
        data: Object.fromEntries(
          Object.entries(values).map(([k, v]) => [k, v.toString('base64')]),
        ),
      },
      scope,
    );
    const out = {
      ...sealed,
      spec: { ...sealed.spec, encryptedData: resealed.spec.encryptedData },
    };
    // The Go handler sets Content-Type after WriteHeader, which Go ignores;
    // net/http then sniffs the JSON body as text/plain.
    return text(200, JSON.stringify(out));
  }
}

/**
 * What `runtime.Decode` with the SealedSecret scheme accepts: one JSON or
 * YAML document of kind SealedSecret in bitnami.com/v1alpha1. Anything else
 * is an error (the controller answers 500). Returns the reason on failure.
 */
export function decodeSealedSecret(body: Buffer): SealedSecretObject | string {
  let docs;
  try {
    docs = parseAllDocuments(body.toString('utf8'));
  } catch (error) {
    return `cannot parse body: ${toError(error).message}`;
  }
  if (!Array.isArray(docs) || docs.length !== 1)
    return 'expected exactly one document';
  if (docs[0].errors.length) return docs[0].errors[0].message;
  const object = docs[0].toJS() as Partial<SealedSecretObject> | null;
  if (!object || typeof object !== 'object') return 'not an object';
  if (object.apiVersion !== 'bitnami.com/v1alpha1')
    return `no kind "${object.kind}" is registered for version "${object.apiVersion}"`;
  if (object.kind !== 'SealedSecret')
    return `unexpected resource type: ${object.kind}`;
  if (!object.metadata || typeof object.metadata.name !== 'string')
    return 'metadata.name is required';
  const encrypted = object.spec?.encryptedData ?? {};
  if (
    typeof encrypted !== 'object' ||
    Object.values(encrypted).some(v => typeof v !== 'string')
  )
    return 'spec.encryptedData must map keys to strings';
  return {
    ...object,
    spec: { ...object.spec, encryptedData: encrypted },
  } as SealedSecretObject;
}
