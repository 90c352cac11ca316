import { Config } from '@backstage/config';
import fs from 'node:fs';
import { Agent, fetch } from 'undici';

/** Where the Pod's service account is mounted (what in-cluster clients read). */
const MOUNTED = '/var/run/secrets/kubernetes.io/serviceaccount';

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
 * The one place that decides how this plugin reaches the cluster: the
 * cluster named by `gitops.cluster` (or the first) under the kubernetes
 * plugin's `clusterLocatorMethods`, with its service-account token, else the
 * Pod's mounted token (read at every call, so a rotated token is picked up)
 * and CA.
 */
export class ClusterAccess {
  private readonly dispatcher: Agent;

  private constructor(
    readonly name: string,
    private readonly url: string,
    private readonly token: () => string,
    ca: string | undefined,
    skipTLSVerify: boolean,
    private readonly timeoutMs = 8000,
  ) {
    this.dispatcher = new Agent({
      connect: { ...(ca && { ca }), rejectUnauthorized: !skipTLSVerify },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
  }

  static fromConfig(config: Config): ClusterAccess | undefined {
    const wanted = config.getOptionalString('gitops.cluster');
    const clusters = (
      config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? []
    )
      .filter(m => m.getString('type') === 'config')
      .flatMap(m => m.getOptionalConfigArray('clusters') ?? []);
    const c = wanted
      ? clusters.find(x => x.getString('name') === wanted)
      : clusters[0];
    if (!c) return undefined;
    const configured = c.getOptionalString('serviceAccountToken');
    const caData = c.getOptionalString('caData');
    const caFile = c.getOptionalString('caFile');
    let ca: string | undefined;
    if (caData) ca = Buffer.from(caData, 'base64').toString('utf8');
    else if (caFile) ca = fs.readFileSync(caFile, 'utf8');
    else if (fs.existsSync(`${MOUNTED}/ca.crt`))
      ca = fs.readFileSync(`${MOUNTED}/ca.crt`, 'utf8');
    return new ClusterAccess(
      c.getString('name'),
      c.getString('url').replace(/\/$/, ''),
      configured
        ? () => configured
        : () => fs.readFileSync(`${MOUNTED}/token`, 'utf8').trim(),
      ca,
      c.getOptionalBoolean('skipTLSVerify') ?? false,
    );
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
    let token: string;
    try {
      token = this.token();
    } catch {
      throw new KubernetesListError(
        `no service-account token: configure kubernetes.clusterLocatorMethods[].clusters[].serviceAccountToken for cluster "${this.name}", or run the portal in the cluster`,
      );
    }
    let res;
    try {
      res = await fetch(`${this.url}${path}`, {
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
        },
        dispatcher: this.dispatcher,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: Error }).cause ?? (error as Error);
      throw new KubernetesListError(
        `cluster "${this.name}" is unreachable: ${cause.message}`,
      );
    }
    if (res.status === 404) return []; // the CRD is not installed: no such objects
    if (!res.ok) {
      const body = (await res.json().catch(() => ({}))) as { message?: string };
      const hint =
        res.status === 403
          ? `the portal may not list ${what} (HTTP 403): add get/list/watch on "${plural}" in API group "${group}" to its ClusterRole`
          : `listing ${what} answered HTTP ${res.status}${
              body.message ? `: ${body.message}` : ''
            }`;
      throw new KubernetesListError(hint, res.status, path);
    }
    const list = (await res.json()) as { items?: KubeObject[] };
    return list.items ?? [];
  }

  async close() {
    await this.dispatcher.close();
  }
}
