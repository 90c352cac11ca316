import { Config } from '@backstage/config';
import type { KubernetesClusterSettings } from '@homelab-portal/plugin-kubernetes-cluster-node';
import { GatewayRef } from './lib/route/httpRoute';
import { normalizeFingerprint } from './lib/sealing/certificate';
import { SealScope } from './lib/sealing/seal';
import { DEFAULT_RESERVED_NAMESPACES } from './lib/validation/names';
import { ArgoLayoutConfig, FluxLayoutConfig } from './lib/layout/types';

/** homelab.gitops, read once at startup (see config.d.ts). */
export type GitopsConfig = {
  layout: 'auto' | 'flux' | 'argocd';
  flux: FluxLayoutConfig;
  argocd: ArgoLayoutConfig;
  allowedDomains: string[];
  gateways: Record<string, GatewayRef>;
  reservedNamespaces: string[];
  timezone?: string;
  sealedSecrets: SealedSecretsConfig;
  /** hosts configured under integrations.github / integrations.gitea */
  forgeHosts: ForgeHosts;
};

export type ForgeHosts = { github: string[]; gitea: string[] };

/**
 * The Kubernetes API the controller is reached through: a cluster of the
 * kubernetes plugin's config (by name; the first one when unnamed), or the
 * module's own settings (homelab.gitops.sealedSecrets.kubernetes.url).
 */
export type SealingCluster =
  | { cluster?: string }
  | { settings: KubernetesClusterSettings };

export type SealedSecretsConfig = {
  defaultScope: SealScope;
  certificateSource: 'controller' | 'url' | 'static';
  certificate?: string;
  certificateUrl?: string;
  /** SHA-256 fingerprint every sealing certificate must have (64 lower-case hex digits). */
  certificateFingerprint?: string;
  controller: { namespace: string; name: string; port?: string };
  kubernetes: SealingCluster;
};

export function readGitopsConfig(root: Config): GitopsConfig {
  const config = root.getOptionalConfig('homelab.gitops');
  const gateways: Record<string, GatewayRef> = {};
  const gatewaysConfig = config?.getOptionalConfig('gateways');
  for (const key of gatewaysConfig?.keys() ?? []) {
    const g = gatewaysConfig!.getConfig(key);
    gateways[key] = {
      name: g.getString('name'),
      namespace: g.getString('namespace'),
      sectionName: g.getOptionalString('sectionName'),
    };
  }
  const sealed = config?.getOptionalConfig('sealedSecrets');
  const controller = {
    namespace:
      sealed?.getOptionalString('controller.namespace') ?? 'kube-system',
    name:
      sealed?.getOptionalString('controller.name') ??
      'sealed-secrets-controller',
    port: sealed?.getOptional('controller.port')?.toString(),
  };
  const reserved = new Set([
    ...DEFAULT_RESERVED_NAMESPACES,
    ...(config?.getOptionalStringArray('reservedNamespaces') ?? []),
    ...Object.values(gateways).map(g => g.namespace),
    controller.namespace,
  ]);
  return {
    layout:
      (config?.getOptionalString('layout') as GitopsConfig['layout']) ?? 'auto',
    flux: {
      appsPath: config?.getOptionalString('flux.appsPath') ?? 'kubernetes/apps',
      chartUrl:
        config?.getOptionalString('flux.chartUrl') ??
        'oci://ghcr.io/bjw-s-labs/helm/app-template',
      defaultChartVersion: config?.getOptionalString(
        'flux.defaultChartVersion',
      ),
    },
    argocd: {
      appsPath: config?.getOptionalString('argocd.appsPath') ?? 'k8s/apps',
    },
    allowedDomains: config?.getOptionalStringArray('allowedDomains') ?? [],
    gateways,
    reservedNamespaces: [...reserved].sort(),
    timezone: config?.getOptionalString('timezone'),
    sealedSecrets: {
      defaultScope:
        (sealed?.getOptionalString('defaultScope') as SealScope) ?? 'strict',
      certificateSource:
        (sealed?.getOptionalString(
          'certificateSource',
        ) as SealedSecretsConfig['certificateSource']) ?? 'controller',
      certificate: sealed?.getOptionalString('certificate'),
      certificateUrl: httpsOnly(sealed?.getOptionalString('certificateUrl')),
      certificateFingerprint: fingerprintPin(
        sealed?.getOptionalString('certificateFingerprint'),
      ),
      controller,
      kubernetes: sealingCluster(sealed?.getOptionalConfig('kubernetes')),
    },
    forgeHosts: {
      github: (root.getOptionalConfigArray('integrations.github') ?? []).map(
        c => c.getString('host'),
      ),
      gitea: (root.getOptionalConfigArray('integrations.gitea') ?? []).map(c =>
        c.getString('host'),
      ),
    },
  };
}

/**
 * The Kubernetes API for the certificate: the module's own url/token/CA, or
 * a cluster the kubernetes plugin knows (resolved by the cluster service).
 */
function sealingCluster(own: Config | undefined): SealingCluster {
  const url = own?.getOptionalString('url');
  if (!url) return { cluster: own?.getOptionalString('cluster') };
  return {
    settings: {
      name: 'sealed-secrets',
      source: 'homelab.gitops.sealedSecrets.kubernetes',
      url,
      authProvider: 'serviceAccount',
      serviceAccountToken: own?.getOptionalString('token'),
      caData: own?.getOptionalString('caData'),
      caFile: own?.getOptionalString('caFile'),
    },
  };
}

/**
 * A certificate fetched over plain HTTP can be swapped on the way, and the
 * household's secrets would then be sealed to someone else's key and
 * committed to Git.
 */
function httpsOnly(url: string | undefined): string | undefined {
  if (url !== undefined && !/^https:\/\//i.test(url)) {
    throw new Error(
      `homelab.gitops.sealedSecrets.certificateUrl must be an https:// address (got "${url}"): a certificate fetched over plain HTTP can be swapped, and secrets would be sealed to someone else's key`,
    );
  }
  return url;
}

function fingerprintPin(pin: string | undefined): string | undefined {
  if (pin === undefined) return undefined;
  const hex = normalizeFingerprint(pin);
  if (!/^[0-9a-f]{64}$/.test(hex)) {
    throw new Error(
      'homelab.gitops.sealedSecrets.certificateFingerprint must be a SHA-256 fingerprint: 64 hex digits, colons allowed (openssl x509 -noout -fingerprint -sha256)',
    );
  }
  return hex;
}
