import { toError } from '@backstage/errors';
import type { KubernetesCluster } from '@homelab-portal/plugin-kubernetes-cluster-node';

/** A failed list, kept per kind so one forbidden kind does not hide the others. */
export class KubernetesListError extends Error {
  name = 'KubernetesListError';
  constructor(
    message: string,
    readonly status?: number,
    readonly resourcePath?: string,
  ) {
    super(message);
  }
}

export type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    generation?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [k: string]: unknown;
  };
  spec?: any;
  status?: any;
};

/**
 * Lists objects of the household's cluster through the shared cluster
 * service (plugin-kubernetes-cluster-node: the kubernetes plugin's
 * configured cluster, else the Pod's mounted service account), one kind at a
 * time, each failure its own error.
 */
export class ClusterAccess {
  constructor(
    private readonly cluster: KubernetesCluster,
    private readonly timeoutMs = 8000,
  ) {}

  get name() {
    return this.cluster.name;
  }

  /** Every object of a kind in the cluster (all namespaces). */
  async list(
    group: string,
    version: string,
    plural: string,
  ): Promise<KubeObject[]> {
    const path = group
      ? `/apis/${group}/${version}/${plural}`
      : `/api/${version}/${plural}`;
    const what = group ? `${plural}.${group}` : plural;
    let res;
    try {
      res = await this.cluster.fetch(path, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const cause = toError(toError(error).cause ?? error);
      throw new KubernetesListError(
        `cluster "${this.name}" is unreachable: ${cause.message}`,
      );
    }
    if (res.status === 404) return []; // the CRD is not installed: no such objects
    if (!res.ok) {
      const body = (await res.json().catch(() => ({}))) as { message?: string };
      let hint: string;
      if (res.status === 403)
        hint = `the portal may not list ${what} (HTTP 403): add get/list/watch on "${plural}" in API group "${group}" to its ClusterRole`;
      else if (res.status === 401)
        hint = `cluster "${
          this.name
        }" refused ${await this.cluster.identity()} (HTTP 401)`;
      else
        hint = `listing ${what} answered HTTP ${res.status}${
          body.message ? `: ${body.message}` : ''
        }`;
      throw new KubernetesListError(hint, res.status, path);
    }
    // The API server leaves kind out of built-in list items; the list says it.
    const list = (await res.json()) as { kind?: string; items?: KubeObject[] };
    const kind = list.kind?.replace(/List$/, '');
    return (list.items ?? []).map(o => (o.kind ? o : { ...o, kind }));
  }
}
