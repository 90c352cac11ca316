import { KeyObject, X509Certificate } from 'node:crypto';
import { InputError, toError } from '@backstage/errors';

/** The controller's sealing certificate, checked the way kubeseal checks it. */
export type SealingCertificate = {
  publicKey: KeyObject;
  fingerprint256: string;
  validTo: Date;
  subject: string;
  /** where it came from, for messages (never contains credentials) */
  source: string;
};

/** `AB:CD:…` or `abcd…` as 64 lower-case hex digits. */
export function normalizeFingerprint(fingerprint: string): string {
  return fingerprint.replace(/:/g, '').toLowerCase();
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/**
 * Parses the first certificate of a PEM bundle and refuses what kubeseal
 * refuses: no certificate, a non-RSA key, an expired certificate.
 */
export function parseSealingCertificate(
  pem: string,
  source: string,
  now: Date = new Date(),
): SealingCertificate {
  const block = PEM_CERT.exec(pem)?.[0];
  if (!block) {
    throw new InputError(
      `The sealed-secrets certificate from ${source} is not a PEM certificate (no "BEGIN CERTIFICATE" block)`,
    );
  }
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(block);
  } catch (error) {
    throw new InputError(
      `The sealed-secrets certificate from ${source} cannot be parsed: ${
        toError(error).message
      }`,
    );
  }
  if (cert.publicKey.asymmetricKeyType !== 'rsa') {
    throw new InputError(
      `The sealed-secrets certificate from ${source} has a ${cert.publicKey.asymmetricKeyType} key; sealed-secrets needs RSA`,
    );
  }
  const validTo = new Date(cert.validTo);
  if (!(validTo.getTime() > now.getTime())) {
    throw new InputError(
      `The sealed-secrets certificate from ${source} expired on ${validTo.toISOString()}; ` +
        `fetch the controller's current certificate (it renews its key every 30 days by default) instead of a stale copy`,
    );
  }
  return {
    publicKey: cert.publicKey,
    fingerprint256: cert.fingerprint256,
    validTo,
    subject: cert.subject,
    source,
  };
}
