import { execFile } from 'node:child_process';
import https from 'node:https';
import tls from 'node:tls';
import { ConfigReader } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { DefaultKubernetesClusterService } from '@homelab-portal/plugin-kubernetes-cluster-node';
import { HomelabSim, loadScenario, Scenario } from 'homelab-sim';
import { startSim as startHomelabSim } from 'homelab-sim/testUtils';
import { Agent, fetch as undiciFetch } from 'undici';
import { GitopsConfig, readGitopsConfig } from '../config';
import { cloneRepoOpener, RepoOpener } from '../lib/repo/openRepo';

/** The demo homelab's forge and Kubernetes API (with the sealed-secrets controller), in-process. */
export type SimUnderTest = {
  sim: HomelabSim;
  stateDir: string;
  forgeUrl: string;
  forgeHost: string;
  forgeToken: string;
  /** The forge's read-only token (its own rate-limit budget on the GitHub API). */
  forgeReadToken: string;
  kubernetesUrl: string;
  kubernetesToken: string;
  caFile: string;
  dispatcher: Agent;
  integrations: ScmIntegrations;
  config: GitopsConfig;
  rootConfig: ConfigReader;
  openRepo: RepoOpener;
  /** The shared cluster service over rootConfig's kubernetes section. */
  clusters: DefaultKubernetesClusterService;
  close(): Promise<void>;
};

/**
 * Starts the sim on free ports and makes this test file's `fetch` and
 * https.globalAgent (isomorphic-git) trust its CA: NODE_EXTRA_CA_CERTS is
 * read only at process start, and no TLS check is turned off.
 *
 * `only` starts just the services a test file needs (default: the forge
 * and the Kubernetes API); the fields of a service not started are empty
 * strings, and the config has no section for it.
 */
export async function startSim(
  options: {
    forge?: Partial<Scenario['forge']>;
    only?: Array<'forge' | 'kubernetes'>;
  } = {},
): Promise<SimUnderTest> {
  const scenario = loadScenario();
  Object.assign(scenario.forge, options.forge);
  const only = options.only ?? ['forge', 'kubernetes'];
  const shared = await startHomelabSim({
    only,
    scenario,
    tmpPrefix: 'gitops-sim-',
  });
  const { dispatcher, stateDir, caFile } = shared;
  const originalFetch = globalThis.fetch;
  globalThis.fetch = ((input: any, init?: any) =>
    undiciFetch(input, { ...init, dispatcher })) as unknown as typeof fetch;
  const originalAgent = https.globalAgent;
  https.globalAgent = new https.Agent({
    ca: [...tls.rootCertificates, shared.caPem],
  });

  const {
    url: forgeUrl,
    host: forgeHost,
    token: forgeToken,
    readToken: forgeReadToken,
  } = shared.forge ?? { url: '', host: '', token: '', readToken: '' };
  const { url: kubernetesUrl, token: kubernetesToken } = shared.kubernetes ?? {
    url: '',
    token: '',
  };
  const rootConfig = new ConfigReader({
    ...(shared.forge && {
      integrations: {
        github: [
          {
            host: forgeHost,
            apiBaseUrl: `${forgeUrl}/api/v3`,
            token: forgeToken,
          },
        ],
        gitea: [{ host: forgeHost, baseUrl: forgeUrl, password: forgeToken }],
      },
    }),
    ...(shared.kubernetes && {
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              {
                name: 'homelab',
                url: kubernetesUrl,
                authProvider: 'serviceAccount',
                serviceAccountToken: kubernetesToken,
                caFile,
              },
            ],
          },
        ],
      },
    }),
    homelab: {
      gitops: {
        allowedDomains: ['home.example.org'],
        timezone: 'Europe/Paris',
        gateways: {
          internal: {
            name: 'internal',
            namespace: 'kube-system',
            sectionName: 'https',
          },
          external: {
            name: 'external',
            namespace: 'kube-system',
            sectionName: 'https',
          },
        },
      },
    },
  });
  const integrations = ScmIntegrations.fromConfig(rootConfig);
  const clusters = DefaultKubernetesClusterService.fromConfig(rootConfig);
  return {
    sim: shared.sim,
    stateDir,
    forgeUrl,
    forgeHost,
    forgeToken,
    forgeReadToken,
    kubernetesUrl,
    kubernetesToken,
    caFile,
    dispatcher,
    integrations,
    rootConfig,
    config: readGitopsConfig(rootConfig),
    openRepo: cloneRepoOpener(
      integrations,
      DefaultGithubCredentialsProvider.fromIntegrations(integrations),
      readGitopsConfig(rootConfig).forgeHosts,
    ),
    clusters,
    async close() {
      await clusters.close();
      globalThis.fetch = originalFetch;
      https.globalAgent = originalAgent;
      await shared.close();
    },
  };
}

/**
 * POST /v1/verify through the API service proxy, as kubeseal --validate does
 * (waits out 429s; asks again every 100 ms rather than after Retry-After's
 * whole seconds: the controller lets one request through every 500 ms).
 */
export async function verifyWithController(
  s: SimUnderTest,
  sealedSecret: unknown,
): Promise<number> {
  for (;;) {
    const res = await undiciFetch(
      `${s.kubernetesUrl}/api/v1/namespaces/kube-system/services/http:sealed-secrets-controller:http/proxy/v1/verify`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${s.kubernetesToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(sealedSecret),
        dispatcher: s.dispatcher,
      },
    );
    await res.arrayBuffer();
    if (res.status !== 429) return res.status;
    await new Promise(r =>
      setTimeout(
        r,
        Math.min(Number(res.headers.get('retry-after') ?? 1) * 1000, 100),
      ),
    );
  }
}

/**
 * Real git against the sim (CA pinned, no user config). Asynchronous: the sim
 * runs in this process and must keep answering while git waits.
 */
export function git(
  s: SimUnderTest,
  args: string[],
  cwd?: string,
): Promise<string> {
  const auth = Buffer.from(`x-access-token:${s.forgeToken}`).toString('base64');
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      ['-c', `http.extraHeader=Authorization: Basic ${auth}`, ...args],
      {
        cwd,
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: s.stateDir,
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_CONFIG_GLOBAL: '/dev/null',
          GIT_TERMINAL_PROMPT: '0',
          GIT_SSL_CAINFO: s.caFile,
        },
      },
      (error, stdout, stderr) =>
        error
          ? reject(new Error(`git ${args[0]}: ${stderr || error.message}`))
          : resolve(stdout),
    );
  });
}
