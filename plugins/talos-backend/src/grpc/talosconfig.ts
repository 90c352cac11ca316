import { toError } from '@backstage/errors';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { parse } from 'yaml';

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
  let doc: any;
  try {
    doc = parse(text);
  } catch (error) {
    fail(`not valid YAML (${toError(error).message.split('\n')[0]})`);
  }
  if (
    !doc ||
    typeof doc !== 'object' ||
    typeof doc.contexts !== 'object' ||
    !doc.contexts
  ) {
    fail('not a talosconfig: it has no "contexts" map');
  }
  const name: string | undefined = options.context ?? doc.context;
  if (!name)
    fail('no context chosen: set "context" in the file or in app-config');
  const ctx = doc.contexts[name!];
  if (!ctx || typeof ctx !== 'object') {
    fail(
      `has no context "${name}" (it has: ${
        Object.keys(doc.contexts).join(', ') || 'none'
      })`,
    );
  }
  const where = `context "${name}"`;
  const list = (key: string): string[] => {
    const v = ctx[key] ?? [];
    if (!Array.isArray(v) || v.some(x => typeof x !== 'string')) {
      fail(`${where}: "${key}" must be a list of addresses`);
    }
    return v;
  };
  const endpoints = list('endpoints').map(withApidPort);
  if (endpoints.length === 0) fail(`${where} has no endpoints`);
  const pem = (key: string, label: RegExp, what: string): string => {
    const raw = ctx[key];
    if (typeof raw !== 'string' || !raw)
      fail(`${where} has no "${key}" (${what})`);
    const decoded = Buffer.from(raw, 'base64').toString('utf8');
    if (!label.test(decoded)) {
      fail(`${where}: "${key}" is not base64 of a PEM ${what}`);
    }
    return decoded;
  };
  const caPem = pem('ca', /-----BEGIN CERTIFICATE-----/, 'CA certificate');
  const certPem = pem(
    'crt',
    /-----BEGIN CERTIFICATE-----/,
    'client certificate',
  );
  const keyPem = pem(
    'key',
    /-----BEGIN (ED25519 |EC |RSA )?PRIVATE KEY-----/,
    'private key',
  )
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
    name: name!,
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
