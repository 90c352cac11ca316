import { toError } from '@backstage/errors';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { parse } from 'yaml';
import { z } from 'zod';

/**
 * One context of a talosconfig, decoded: where to connect, which nodes, and
 * the PEM material for mTLS. The key is normalised to the standard PKCS#8
 * label (Talos writes Ed25519 keys as `ED25519 PRIVATE KEY`, which OpenSSL
 * does not read).
 */
export type TalosContext = {
  name: string;
  endpoints: string[];
  nodes: string[];
  caPem: string;
  certPem: string;
  keyPem: string;
  /** Roles from the client certificate's Organization (`os:reader`, …). */
  roles: string[];
  /** When the client certificate expires. */
  notAfter: Date;
};

/** Talos's apid port, added to endpoints given without one. */
export const APID_PORT = 50000;

export class TalosconfigError extends Error {
  name = 'TalosconfigError';
}

/** A talosconfig file: the current context's name and the contexts by name. */
const talosconfigSchema = z.object({
  context: z.string().nullish(),
  contexts: z.record(z.string(), z.unknown()),
});

/** One context: what the client reads of it (absent and null are the same). */
const contextSchema = z.object({
  endpoints: z.array(z.string()).nullish(),
  nodes: z.array(z.string()).nullish(),
  ca: z.string().nullish(),
  crt: z.string().nullish(),
  key: z.string().nullish(),
});

type ContextField = keyof z.infer<typeof contextSchema>;
type PemField = 'ca' | 'crt' | 'key';

/** What each PEM field of a context holds, for error messages. */
const pemWhat: Record<PemField, string> = {
  ca: 'CA certificate',
  crt: 'client certificate',
  key: 'private key',
};

/** The first field a schema refuses, by its top-level key ('' for the value itself). */
function badField(error: z.ZodError): string {
  return String(error.issues[0]?.path[0] ?? '');
}

/**
 * Parses talosconfig YAML (`context:` + `contexts:`). `source` names where it
 * came from in error messages; `context` overrides the file's current one.
 */
export function parseTalosconfig(
  text: string,
  options: { source: string; context?: string },
): TalosContext {
  const fail = (message: string): never => {
    throw new TalosconfigError(`${options.source}: ${message}`);
  };
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    fail(`not valid YAML (${toError(error).message.split('\n')[0]})`);
  }
  const file = talosconfigSchema.safeParse(raw);
  if (!file.success) {
    return fail(
      badField(file.error) === 'context'
        ? '"context" must be the name of one of its contexts (a string)'
        : 'not a talosconfig: it has no "contexts" map',
    );
  }
  const doc = file.data;
  const name = options.context ?? doc.context;
  if (!name) {
    return fail(
      'no context chosen: set "context" in the file or in app-config',
    );
  }
  const where = `context "${name}"`;
  if (!Object.hasOwn(doc.contexts, name)) {
    fail(
      `has no context "${name}" (it has: ${
        Object.keys(doc.contexts).join(', ') || 'none'
      })`,
    );
  }
  const parsed = contextSchema.safeParse(doc.contexts[name]);
  if (!parsed.success) {
    const field = badField(parsed.error) as ContextField | '';
    if (field === '')
      fail(`${where} must be a map of endpoints, nodes, ca, crt and key`);
    if (field === 'endpoints' || field === 'nodes')
      fail(`${where}: "${field}" must be a list of addresses`);
    return fail(
      `${where}: "${field}" must be a string (base64 of a PEM ${
        pemWhat[field as PemField]
      })`,
    );
  }
  const ctx = parsed.data;
  const list = (key: 'endpoints' | 'nodes'): string[] => ctx[key] ?? [];
  const endpoints = list('endpoints').map(withApidPort);
  if (endpoints.length === 0) fail(`${where} has no endpoints`);
  const pem = (key: PemField, label: RegExp): string => {
    const what = pemWhat[key];
    const value = ctx[key];
    if (!value) return fail(`${where} has no "${key}" (${what})`);
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    if (!label.test(decoded)) {
      fail(`${where}: "${key}" is not base64 of a PEM ${what}`);
    }
    return decoded;
  };
  const caPem = pem('ca', /-----BEGIN CERTIFICATE-----/);
  const certPem = pem('crt', /-----BEGIN CERTIFICATE-----/);
  const keyPem = pem('key', /-----BEGIN (ED25519 |EC |RSA )?PRIVATE KEY-----/)
    // OpenSSL reads the PKCS#8 inside, but only under the standard label.
    .replace(
      /-----(BEGIN|END) ED25519 PRIVATE KEY-----/g,
      '-----$1 PRIVATE KEY-----',
    );

  let cert: X509Certificate;
  let ca: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
    ca = new X509Certificate(caPem);
  } catch (error) {
    return fail(
      `${where}: a certificate cannot be read (${toError(error).message})`,
    );
  }
  if (!ca.ca) fail(`${where}: "ca" is not a CA certificate`);
  try {
    const key = createPrivateKey(keyPem);
    if (!cert.checkPrivateKey(key)) {
      fail(
        `${where}: "key" does not belong to the client certificate in "crt"`,
      );
    }
  } catch (error) {
    if (error instanceof TalosconfigError) throw error;
    fail(`${where}: "key" cannot be read (${toError(error).message})`);
  }
  const notAfter = new Date(cert.validTo);
  return {
    name,
    endpoints,
    nodes: list('nodes'),
    caPem,
    certPem,
    keyPem,
    roles: rolesOf(cert.subject),
    notAfter,
  };
}

/** `10.0.0.1` → `10.0.0.1:50000`; `[fd00::1]` → `[fd00::1]:50000`; ports kept. */
export function withApidPort(endpoint: string): string {
  const e = endpoint.trim().replace(/^https?:\/\//, '');
  if (/^\[.*\]:\d+$/.test(e) || /^[^:]+:\d+$/.test(e)) return e;
  if (/^\[.*\]$/.test(e)) return `${e}:${APID_PORT}`;
  if (e.includes(':')) return `[${e}]:${APID_PORT}`; // bare IPv6
  return `${e}:${APID_PORT}`;
}

/** The O= values of a certificate subject as Node prints it (one `K=V` per line). */
export function rolesOf(subject: string): string[] {
  return subject
    .split('\n')
    .filter(line => line.startsWith('O='))
    .flatMap(line => line.slice(2).split('+'))
    .map(s => s.trim())
    .filter(Boolean);
}

/**
 * A loud warning when the portal holds more than it needs: an `os:admin`
 * certificate (what `talosctl gen config` writes) may reboot, reset and
 * wipe nodes and read the machine config's secrets; the portal only reads.
 * `where` names the config key.
 */
export function adminRoleWarning(
  context: TalosContext,
  where: string,
): string | undefined {
  if (!context.roles.includes('os:admin')) return undefined;
  return `${where}: the talosconfig's client certificate carries the role os:admin (its subject's O=), which may reboot, reset and wipe every node and read the machine configuration's secrets. The portal only reads: give it a certificate of its own with os:reader (talosctl config new portal-talosconfig --roles os:reader), or os:operator at most.`;
}
