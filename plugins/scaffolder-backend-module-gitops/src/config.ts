import fs from 'node:fs';
import { Config } from '@backstage/config';
import { GatewayRef } from './lib/route/httpRoute';
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

export type KubernetesAccess = {
  url: string;
  token?: string;
  caData?: string;
};

export type SealedSecretsConfig = {
  defaultScope: SealScope;
  certificateSource: 'controller' | 'url' | 'static';
  certificate?: string;
  certificateUrl?: string;
  controller: { namespace: string; name: string; port?: string };
  /** resolved lazily: the kubernetes cluster config may name a token file */
  kubernetes?: () => KubernetesAccess;
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
      certificateUrl: sealed?.getOptionalString('certificateUrl'),
      controller,
      kubernetes: kubernetesAccess(
        root,
        sealed?.getOptionalConfig('kubernetes'),
      ),
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
 * The Kubernetes API for the certificate: our own url/token/CA, or a cluster
 * of the kubernetes plugin's config (by name; the first one when unnamed).
 */
function kubernetesAccess(
  root: Config,
  own: Config | undefined,
): (() => KubernetesAccess) | undefined {
  const url = own?.getOptionalString('url');
  if (url) {
    const caFile = own?.getOptionalString('caFile');
    return () => ({
      url,
      token: own?.getOptionalString('token'),
      caData: caFrom(own?.getOptionalString('caData'), caFile),
    });
  }
  const wanted = own?.getOptionalString('cluster');
  return () => {
    const clusters = (
      root.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? []
    )
      .filter(m => m.getOptionalString('type') === 'config')
      .flatMap(m => m.getOptionalConfigArray('clusters') ?? []);
    const cluster = wanted
      ? clusters.find(c => c.getString('name') === wanted)
      : clusters[0];
    if (!cluster) {
      throw new Error(
        wanted
          ? `homelab.gitops.sealedSecrets.kubernetes.cluster names "${wanted}", but kubernetes.clusterLocatorMethods has no such cluster`
          : 'the sealed-secrets certificate comes from the controller, but no Kubernetes cluster is configured (homelab.gitops.sealedSecrets.kubernetes or kubernetes.clusterLocatorMethods)',
      );
    }
    const caFile = cluster.getOptionalString('caFile');
    const caData = cluster.getOptionalString('caData');
    return {
      url: cluster.getString('url'),
      token: cluster.getOptionalString('serviceAccountToken'),
      caData: caFrom(caData, caFile),
    };
  };
}

function readFile(file: string) {
  return fs.readFileSync(file, 'utf8');
}

/** The CA as PEM, from inline data or a file. */
function caFrom(data: string | undefined, file: string | undefined) {
  if (data) return pem(data);
  return file ? readFile(file) : undefined;
}

/** CA data as PEM; the kubernetes plugin's caData is base64 of the PEM. */
function pem(data: string) {
  return data.includes('-----BEGIN')
    ? data
    : Buffer.from(data, 'base64').toString('utf8');
}
