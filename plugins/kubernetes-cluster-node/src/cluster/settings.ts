import { Config } from '@backstage/config';

/**
 * How to reach one cluster, in the words of the kubernetes plugin's
 * `kubernetes.clusterLocatorMethods[].clusters[]` entries.
 *
 * @public
 */
export type KubernetesClusterSettings = {
  name: string;
  /** The config key these settings were read from, for messages. */
  source: string;
  url: string;
  /** Only `serviceAccount` is something a backend plugin can act with. */
  authProvider: string;
  /** A fixed token; without one, the Pod's mounted service account. */
  serviceAccountToken?: string;
  /** The API server's CA: base64 of the PEM (as in a kubeconfig) or the PEM itself. */
  caData?: string;
  caFile?: string;
  skipTLSVerify?: boolean;
};

/** The key the kubernetes plugin reads the auth provider from in `authMetadata`. */
const AUTH_PROVIDER_KEY = 'kubernetes.io/auth-provider';

/**
 * The clusters of every `type: config` cluster locator, in config order.
 * Reads the same keys, with the same precedence, as the kubernetes plugin's
 * ConfigClusterLocator (an `authMetadata` block wins over the plain keys).
 */
export function readConfiguredClusters(
  root: Config,
): KubernetesClusterSettings[] {
  const clusters: KubernetesClusterSettings[] = [];
  const methods =
    root.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  methods.forEach((method, i) => {
    if (method.getOptionalString('type') !== 'config') return;
    (method.getOptionalConfigArray('clusters') ?? []).forEach((c, j) => {
      const metadata = (c.getOptional('authMetadata') ?? {}) as Record<
        string,
        unknown
      >;
      const fromMetadata = (key: string) =>
        typeof metadata[key] === 'string'
          ? (metadata[key] as string)
          : undefined;
      clusters.push({
        name: c.getString('name'),
        source: `kubernetes.clusterLocatorMethods[${i}].clusters[${j}]`,
        url: c.getString('url'),
        authProvider:
          fromMetadata(AUTH_PROVIDER_KEY) ??
          c.getOptionalString('authProvider') ??
          '',
        serviceAccountToken:
          fromMetadata('serviceAccountToken') ??
          c.getOptionalString('serviceAccountToken'),
        caData: c.getOptionalString('caData'),
        caFile: c.getOptionalString('caFile'),
        skipTLSVerify: c.getOptionalBoolean('skipTLSVerify'),
      });
    });
  });
  return clusters;
}
