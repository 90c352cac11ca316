/** @public */
export type CertificateLevel = 'ok' | 'warning' | 'error';

/** Amber from this many days left. @public */
export const CERTIFICATE_WARNING_DAYS = 21;
/** Red from this many days left. @public */
export const CERTIFICATE_ERROR_DAYS = 7;

/**
 * How worried to be about a certificate: red when it is not Ready or has 7
 * days or less, amber at 21 days or less, green otherwise.
 *
 * @public
 */
export function certificateLevel(
  ready: boolean,
  daysLeft: number | undefined,
): CertificateLevel {
  if (!ready || daysLeft === undefined || daysLeft <= CERTIFICATE_ERROR_DAYS)
    return 'error';
  if (daysLeft <= CERTIFICATE_WARNING_DAYS) return 'warning';
  return 'ok';
}
