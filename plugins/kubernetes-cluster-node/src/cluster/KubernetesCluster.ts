import fs from 'node:fs';
import { Agent, fetch, Response } from 'undici';
import { KubernetesClusterError } from './errors';
import {
  isServiceAccountMounted,
  podServiceAccount,
} from './podServiceAccount';
import { KubernetesClusterSettings } from './settings';

/**
 * A request to the API server. The path starts with `/api` or `/apis`; the
 * token and the CA are added by the cluster.
 *
 * @public
 */
export type KubernetesClusterRequest = {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
};

/** How requests go out, resolved once (the token excepted). */
type Connection = {
  url: string;
  /** How the portal signs in, for messages. */
  identity: string;
  dispatcher: Agent;
  token(): Promise<string>;
};

/**
 * One Kubernetes API server and the portal's identity towards it: a
 * configured `serviceAccountToken`, or else the Pod's own mounted service
 * account (read like the kubernetes plugin reads it, see podServiceAccount).
 * The API server's certificate is always verified against the cluster's CA
 * (or the process's trust store when none is given).
 *
 * @public
 */
export class KubernetesCluster {
  private connection?: Promise<Connection>;

  constructor(
    readonly settings: KubernetesClusterSettings,
    private readonly options: { serviceAccountPathPrefix?: string } = {},
  ) {}

  get name(): string {
    return this.settings.name;
  }

  /** The config key the cluster comes from, for messages. */
  get source(): string {
    return this.settings.source;
  }

  /**
   * Sends a request with the cluster's CA and the current token. Transport
   * failures come back as undici's errors; a configuration that cannot work
   * as a KubernetesClusterError.
   */
  async fetch(
    path: string,
    request: KubernetesClusterRequest = {},
  ): Promise<Response> {
    const connection = await this.connect();
    const token = await connection.token();
    return fetch(`${connection.url}${path}`, {
      method: request.method ?? 'GET',
      headers: { ...request.headers, authorization: `Bearer ${token}` },
      body: request.body,
      signal: request.signal,
      dispatcher: connection.dispatcher,
    });
  }

  /** The API server's URL (in a Pod: the one the kubelet gives it). */
  async url(): Promise<string> {
    return (await this.connect()).url;
  }

  /** `a token from <key>` or `the Pod's service account`, for messages. */
  async identity(): Promise<string> {
    return (await this.connect()).identity;
  }

  async close(): Promise<void> {
    const connection = await this.connection?.catch(() => undefined);
    await connection?.dispatcher.close();
  }

  private connect(): Promise<Connection> {
    if (!this.connection) {
      this.connection = this.resolve();
      // A failed resolution is retried next time (the mount may appear).
      this.connection.catch(() => {
        this.connection = undefined;
      });
    }
    return this.connection;
  }

  private async resolve(): Promise<Connection> {
    const s = this.settings;
    const where = `The Kubernetes cluster "${s.name}" (${s.source})`;
    if (s.skipTLSVerify) {
      throw new KubernetesClusterError(
        `${where} has skipTLSVerify: true; the household plugins always verify the API server: give its CA with caData or caFile instead`,
      );
    }
    if (s.authProvider !== 'serviceAccount') {
      throw new KubernetesClusterError(
        `${where} signs in with authProvider "${s.authProvider}"; backend plugins need "serviceAccount" (a serviceAccountToken, or the Pod's own service account)`,
      );
    }
    const token = s.serviceAccountToken;
    if (token) {
      return {
        url: s.url.replace(/\/+$/, ''),
        identity: `the serviceAccountToken of ${s.source}`,
        dispatcher: agent(caOf(s, where)),
        token: async () => token,
      };
    }
    const prefix = this.options.serviceAccountPathPrefix;
    if (!isServiceAccountMounted(prefix)) {
      throw new KubernetesClusterError(
        `${where} uses the Pod's service account (authProvider serviceAccount without serviceAccountToken), but none is mounted: the portal is not running in a Pod. Give the cluster a serviceAccountToken.`,
      );
    }
    const pod = podServiceAccount(where, prefix);
    return {
      url: pod.url,
      identity: "the Pod's service account",
      dispatcher: agent(pod.caPem),
      token: () => pod.token(),
    };
  }
}

function agent(caPem: string | undefined) {
  return new Agent({ connect: caPem ? { ca: caPem } : {} });
}

/** The CA as PEM: caData (base64 of the PEM, or the PEM itself) or caFile. */
function caOf(s: KubernetesClusterSettings, where: string): string | undefined {
  if (s.caData) {
    return s.caData.includes('-----BEGIN')
      ? s.caData
      : Buffer.from(s.caData, 'base64').toString('utf8');
  }
  if (!s.caFile) return undefined;
  try {
    return fs.readFileSync(s.caFile, 'utf8');
  } catch (error) {
    throw new KubernetesClusterError(
      `${where}: caFile cannot be read (${
        (error as NodeJS.ErrnoException).code
      })`,
    );
  }
}
