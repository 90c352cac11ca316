import fs from 'node:fs';
import { isIPv6 } from 'node:net';
import { KubernetesClusterError } from './errors';

/**
 * Where the kubelet mounts a Pod's service-account token, CA and namespace.
 *
 * @public
 */
export const SERVICE_ACCOUNT_DIR =
  '/var/run/secrets/kubernetes.io/serviceaccount';

/** The API server as a Pod sees it, and how to get its current token. */
export type PodServiceAccount = {
  url: string;
  caPem: string;
  token(): Promise<string>;
};

/**
 * Whether the Pod's service account is mounted: the same test the kubernetes
 * plugin makes (its CA file exists) before it uses the in-cluster config.
 */
export function isServiceAccountMounted(pathPrefix = ''): boolean {
  return fs.existsSync(`${pathPrefix}${SERVICE_ACCOUNT_DIR}/ca.crt`);
}

/**
 * The API server as the kubelet tells a container where it is: the same
 * rules as `KubeConfig.loadFromCluster()` of @kubernetes/client-node, which
 * the kubernetes plugin calls (https unless the port is 80, 8080 or 8001;
 * an IPv6 address in brackets). Undefined outside a Pod.
 */
export function inClusterApiServer(
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host) return undefined;
  const scheme = ['80', '8080', '8001'].includes(port ?? '') ? 'http' : 'https';
  return `${scheme}://${isIPv6(host) ? `[${host}]` : host}:${port}`;
}

/**
 * The in-cluster connection, read the way the kubernetes plugin reads it:
 * the API server from the environment (inClusterApiServer), the CA and the
 * token from the mount. The token is read again for every request, as
 * upstream's ServiceAccountStrategy does: the kubelet replaces a projected
 * token before it expires (an hour by default), so a copy taken at start
 * would go stale.
 *
 * `pathPrefix` moves the mount (tests); the kubelet's path otherwise.
 */
export function podServiceAccount(
  source: string,
  pathPrefix = '',
): PodServiceAccount {
  const url = inClusterApiServer();
  if (!url) {
    throw new KubernetesClusterError(
      `${source} uses the Pod's service account, but KUBERNETES_SERVICE_HOST is not set: the kubelet sets it in every Pod; outside a cluster, give the cluster a serviceAccountToken`,
    );
  }
  const dir = `${pathPrefix}${SERVICE_ACCOUNT_DIR}`;
  let caPem: string;
  try {
    caPem = fs.readFileSync(`${dir}/ca.crt`, 'utf8');
  } catch (error) {
    throw new KubernetesClusterError(
      `${source}: the Pod's service-account CA (${SERVICE_ACCOUNT_DIR}/ca.crt) cannot be read (${
        (error as NodeJS.ErrnoException).code
      })`,
    );
  }
  return {
    url,
    caPem,
    async token() {
      try {
        return (await fs.promises.readFile(`${dir}/token`, 'utf8')).trim();
      } catch (error) {
        throw new KubernetesClusterError(
          `${source}: the Pod's service-account token (${SERVICE_ACCOUNT_DIR}/token) cannot be read (${
            (error as NodeJS.ErrnoException).code
          })`,
        );
      }
    },
  };
}
