import { Problems } from './problems';

// The HTTPRoute CRD's hostname pattern (Gateway API v1.5.1).
const ROUTE_HOSTNAME =
  /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * An app's hostname: a single DNS label directly under one of the household's
 * domains, because the Gateway's wildcard certificate covers exactly one label
 * (`*.home.example.org` covers `photos.home.example.org`, neither the apex nor
 * `a.b.home.example.org`).
 */
export function checkHostname(
  problems: Problems,
  field: string,
  value: string,
  allowedDomains: string[],
): boolean {
  if (typeof value !== 'string' || value.length === 0) {
    problems.add(field, 'required', 'is required');
    return false;
  }
  if (
    value.length > 253 ||
    !ROUTE_HOSTNAME.test(value) ||
    value.startsWith('*')
  ) {
    problems.add(
      field,
      'hostname-syntax',
      `"${value}" is not a hostname: lowercase letters, digits, "-" and ".", no scheme, port, path or wildcard`,
    );
    return false;
  }
  const domain = allowedDomains.find(d => value.endsWith(`.${d}`));
  if (!domain) {
    problems.add(
      field,
      'hostname-domain',
      `"${value}" is outside the allowed domains (${allowedDomains.join(
        ', ',
      )}); use <name>.${allowedDomains[0] ?? '<domain>'}`,
    );
    return false;
  }
  const label = value.slice(0, -(domain.length + 1));
  if (!LABEL.test(label) || label.length > 63) {
    problems.add(
      field,
      'hostname-single-label',
      `"${value}" has more than one label before ${domain}; the wildcard certificate *.${domain} covers only names like ${
        label.split('.').pop() ?? 'app'
      }.${domain}`,
    );
    return false;
  }
  return true;
}
