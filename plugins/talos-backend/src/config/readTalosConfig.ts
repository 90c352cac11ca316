import { toError } from '@backstage/errors';
import { Config } from '@backstage/config';
import fs from 'node:fs';
import { parseTalosconfig, TalosContext } from '../grpc/talosconfig';
import type {
  KubernetesCluster,
  KubernetesClusterService,
} from '@homelab-portal/plugin-kubernetes-cluster-node';
import type { UpgradeSourceConfig } from '../service/upgrades';

export type TalosClusterConfig = {
  name: string;
  title: string;
  context: TalosContext;
  /** Nodes to read; the talosconfig's nodes unless app-config lists its own. */
  nodes: string[];
  timeoutMs: number;
  /**
   * The cluster's Kubernetes API, or why the one named cannot be used.
   * Undefined: the Kubernetes checks are skipped ("not configured").
   */
  kubernetes?: KubernetesCluster | { unavailable: string };
};

export type TalosPluginConfig = {
  clusters: TalosClusterConfig[];
  cacheMs: number;
  upgrades: UpgradeSourceConfig;
};

/**
 * Reads `talos:` from app-config. Every error names the key and the rule,
 * and nothing secret goes into a message.
 */
export function readTalosConfig(
  root: Config,
  kubernetesClusters: KubernetesClusterService,
): TalosPluginConfig | undefined {
  const talos = root.getOptionalConfig('talos');
  if (!talos) return undefined;
  const clusters = talos.getConfigArray('clusters').map((c, i) => {
    const key = `talos.clusters[${i}]`;
    const name = c.getString('name');
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
      throw new Error(
        `${key}.name "${name}" must be lower-case letters, digits and dashes`,
      );
    }
    const inline = c.getOptionalString('talosconfig');
    const path = c.getOptionalString('talosconfigPath');
    if (!inline === !path) {
      throw new Error(
        `${key}: set exactly one of "talosconfig" (the file's content) and "talosconfigPath"`,
      );
    }
    let text = inline;
    if (path) {
      try {
        text = fs.readFileSync(path, 'utf8');
      } catch (error) {
        throw new Error(
          `${key}.talosconfigPath: cannot read ${path} (${
            (error as NodeJS.ErrnoException).code
          })`,
        );
      }
    }
    const context = parseTalosconfig(text!, {
      source: path ? `${key}.talosconfigPath (${path})` : `${key}.talosconfig`,
      context: c.getOptionalString('context'),
    });
    const endpoints = c.getOptionalStringArray('endpoints');
    if (endpoints?.length) context.endpoints = endpoints;
    const nodes = c.getOptionalStringArray('nodes') ?? context.nodes;
    const timeoutSeconds = c.getOptionalNumber('timeoutSeconds') ?? 5;
    if (!(timeoutSeconds > 0 && timeoutSeconds <= 120)) {
      throw new Error(`${key}.timeoutSeconds must be between 0 and 120`);
    }
    return {
      name,
      title: c.getOptionalString('title') ?? name,
      context,
      nodes: nodes.length
        ? nodes
        : context.endpoints.map(e =>
            e.replace(/:\d+$/, '').replace(/^\[|\]$/g, ''),
          ),
      timeoutMs: timeoutSeconds * 1000,
      kubernetes: readKubernetes(kubernetesClusters, c, key, name),
    };
  });
  const names = new Set<string>();
  for (const c of clusters) {
    if (names.has(c.name))
      throw new Error(`talos.clusters: the name "${c.name}" is used twice`);
    names.add(c.name);
  }
  const cacheSeconds = talos.getOptionalNumber('cacheSeconds') ?? 10;
  const u = talos.getOptionalConfig('upgrades');
  const factory = u?.getOptionalConfig('imageFactory');
  return {
    clusters,
    cacheMs: cacheSeconds * 1000,
    upgrades: {
      imageFactory: factory
        ? {
            url: factory.getString('url'),
            caPem: readOptionalFile(
              factory.getOptionalString('caFile'),
              'talos.upgrades.imageFactory.caFile',
            ),
          }
        : undefined,
      talosVersions: u?.getOptionalStringArray('talosVersions'),
      kubernetesVersions: u?.getOptionalStringArray('kubernetesVersions'),
    },
  };
}

/**
 * The cluster's Kubernetes API: inline under `kubernetes`, or by the name of
 * a cluster the kubernetes plugin already knows
 * (`kubernetes.clusterLocatorMethods[type=config].clusters[].name`), so the
 * token is configured once. Either way without a token the Pod's own
 * service account is used, as the kubernetes plugin does.
 */
function readKubernetes(
  clusters: KubernetesClusterService,
  c: Config,
  key: string,
  name: string,
): TalosClusterConfig['kubernetes'] {
  const inline = c.getOptionalConfig('kubernetes');
  if (inline) {
    return clusters.fromSettings({
      name,
      source: `${key}.kubernetes`,
      url: inline.getString('url'),
      authProvider: 'serviceAccount',
      serviceAccountToken: inline.getOptionalString('serviceAccountToken'),
      caData: inline.getOptionalString('caData'),
      caFile: inline.getOptionalString('caFile'),
    });
  }
  const ref = c.getOptionalString('kubernetesCluster');
  if (!ref) return undefined;
  try {
    return clusters.getCluster(ref);
  } catch (error) {
    // Named but not configured: the checks say so instead of failing start.
    return {
      unavailable: `${key}.kubernetesCluster: ${toError(error).message}`,
    };
  }
}

function readOptionalFile(
  path: string | undefined,
  key: string,
): string | undefined {
  if (!path) return undefined;
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(
      `${key}: cannot read ${path} (${(error as NodeJS.ErrnoException).code})`,
    );
  }
}
