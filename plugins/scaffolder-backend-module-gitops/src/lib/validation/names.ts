import { Problems } from './problems';

// Kubernetes' own name rules (k8s.io/apimachinery/pkg/util/validation).
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const QUANTITY = /^([0-9]+(\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;

/** Namespaces no household app may be deployed into. */
export const DEFAULT_RESERVED_NAMESPACES = [
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'flux-system',
  'argocd',
];

export function checkNamespace(
  problems: Problems,
  field: string,
  value: string,
  reserved: string[],
) {
  if (!checkDns1123Label(problems, field, value)) return;
  if (reserved.includes(value) || value.startsWith('kube-')) {
    problems.add(
      field,
      'reserved-namespace',
      `"${value}" is reserved for the platform (${reserved.join(
        ', ',
      )}, and every kube-* namespace); pick the app's own namespace`,
    );
  }
}

/**
 * The namespace an app found in the repository really deploys to (not the
 * one a form says): a platform app (Cilium in kube-system, Flux itself) is
 * never sealed into or exposed through the portal. Returns whether it may.
 */
export function checkAppNamespace(
  problems: Problems,
  app: { name: string; namespace: string },
  reserved: string[],
): boolean {
  if (!reserved.includes(app.namespace) && !app.namespace.startsWith('kube-'))
    return true;
  problems.add(
    'app',
    'reserved-namespace',
    `"${app.name}" deploys to "${
      app.namespace
    }", a namespace reserved for the platform (${reserved.join(
      ', ',
    )}, and every kube-* namespace); the portal does not change platform apps`,
  );
  return false;
}

/** A DNS-1123 label: namespaces, most object names. */
export function checkDns1123Label(
  problems: Problems,
  field: string,
  value: string,
  maxLength = 63,
): boolean {
  if (typeof value !== 'string' || value.length === 0) {
    problems.add(field, 'required', 'is required');
    return false;
  }
  if (value.length > maxLength || !DNS1123_LABEL.test(value)) {
    problems.add(
      field,
      'dns1123-label',
      `"${value}" is not a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit, at most ${maxLength} characters`,
    );
    return false;
  }
  return true;
}

/**
 * An app name: it names the HelmRelease (Helm caps release names at 53
 * characters) and the Service (Services need a DNS-1035 label: a letter first).
 */
export function checkAppName(
  problems: Problems,
  field: string,
  value: string,
): boolean {
  if (typeof value !== 'string' || value.length === 0) {
    problems.add(field, 'required', 'is required');
    return false;
  }
  if (value.length > 53 || !DNS1035_LABEL.test(value)) {
    problems.add(
      field,
      'dns1035-label',
      `"${value}" is not a valid app name: lowercase letters, digits and "-", starting with a letter and ending with a letter or digit, at most 53 characters (Helm release and Service name rules)`,
    );
    return false;
  }
  return true;
}

/** A Secret's name: a DNS-1123 subdomain. */
export function checkObjectName(
  problems: Problems,
  field: string,
  value: string,
): boolean {
  if (typeof value !== 'string' || value.length === 0) {
    problems.add(field, 'required', 'is required');
    return false;
  }
  if (value.length > 253 || !DNS1123_SUBDOMAIN.test(value)) {
    problems.add(
      field,
      'dns1123-subdomain',
      `"${value}" is not a DNS-1123 subdomain: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit, at most 253 characters`,
    );
    return false;
  }
  return true;
}

export function checkPort(problems: Problems, field: string, value: unknown) {
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < 1 ||
    value > 65535
  ) {
    problems.add(
      field,
      'port-range',
      `${JSON.stringify(value)} is not a port: a whole number from 1 to 65535`,
    );
    return false;
  }
  return true;
}

/** A key of a Secret's data (k8s IsConfigMapKey). */
export function checkSecretKey(
  problems: Problems,
  field: string,
  value: string,
) {
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    value.length > 253 ||
    !SECRET_KEY.test(value) ||
    value === '.' ||
    value === '..'
  ) {
    problems.add(
      field,
      'secret-key',
      `${JSON.stringify(
        value,
      )} is not a Secret key: letters, digits, "-", "_" and ".", at most 253 characters, not "." or ".."`,
    );
    return false;
  }
  return true;
}

/** An environment variable name the app reads (C identifier). */
export function checkEnvName(problems: Problems, field: string, value: string) {
  if (typeof value !== 'string' || !ENV_NAME.test(value)) {
    problems.add(
      field,
      'env-name',
      `${JSON.stringify(
        value,
      )} is not an environment variable name: letters, digits and "_", not starting with a digit`,
    );
    return false;
  }
  return true;
}

/** A storage size such as 1Gi (a Kubernetes quantity, larger than zero). */
export function checkStorageSize(
  problems: Problems,
  field: string,
  value: string,
) {
  const match = typeof value === 'string' ? QUANTITY.exec(value) : null;
  if (!match || Number(match[1]) <= 0) {
    problems.add(
      field,
      'storage-size',
      `${JSON.stringify(
        value,
      )} is not a storage size: a positive number with a unit such as 512Mi, 1Gi or 20Gi`,
    );
    return false;
  }
  return true;
}

/** An absolute path inside the container, without "..". */
export function checkMountPath(
  problems: Problems,
  field: string,
  value: string,
) {
  if (
    typeof value !== 'string' ||
    !value.startsWith('/') ||
    value.split('/').includes('..') ||
    /[\s:]/.test(value)
  ) {
    problems.add(
      field,
      'mount-path',
      `${JSON.stringify(
        value,
      )} is not a mount path: an absolute path such as /data, without "..", spaces or ":"`,
    );
    return false;
  }
  return true;
}
