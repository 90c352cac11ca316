import nodeFs from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { InputError, toError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { cloneRepo, parseRepoUrl } from '@backstage/plugin-scaffolder-node';
import git from 'isomorphic-git';
import { DirectoryRepoSnapshot, HISTORY_DEPTH } from './DirectoryRepoSnapshot';
import { RepoSnapshot } from './RepoSnapshot';

export type ForgeKind = 'github' | 'gitea';

export type OpenedRepo = {
  snapshot: RepoSnapshot;
  /** web address of a path on the branch that was read (links, source-location) */
  webUrl: (path: string) => string;
  /** removes the local copy */
  close?: () => Promise<void>;
};

/** Opens the repository a template points at (tests substitute their own). */
export type RepoOpener = (
  repoUrl: string,
  options?: { branch?: string; forge?: ForgeKind },
) => Promise<OpenedRepo>;

/**
 * A repoUrl as RepoUrlPicker writes it (`host?owner=…&repo=…`), or the short
 * `owner/repo`, which means: on the one configured forge of that kind. The
 * short form keeps templates free of hosts (the demo homelab's forge port
 * changes from run to run; a household has one forge).
 */
export function resolveRepoUrl(
  value: string,
  hosts: { github: string[]; gitea: string[] },
  forge?: ForgeKind,
): string {
  if (typeof value !== 'string' || value.includes('?')) return value;
  const short = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(value.trim());
  if (!short) {
    throw new InputError(
      `repoUrl: "${value}" is neither host?owner=…&repo=… nor owner/repo`,
    );
  }
  const kinds: ForgeKind[] = forge ? [forge] : ['github', 'gitea'];
  const kind = kinds.find(k => hosts[k].length > 0);
  if (!kind) {
    throw new InputError(
      `repoUrl: "${value}" names no host, and no ${
        forge ?? 'GitHub or Gitea'
      } integration is configured`,
    );
  }
  if (hosts[kind].length > 1) {
    throw new InputError(
      `repoUrl: "${value}" names no host, and several ${kind} integrations are configured (${hosts[
        kind
      ].join(', ')}); give host?owner=…&repo=…`,
    );
  }
  return `${hosts[kind][0]}?owner=${encodeURIComponent(
    short[1],
  )}&repo=${encodeURIComponent(short[2])}`;
}

/** A configured forge repository: where to clone it from and how to log in. */
export type RemoteRepo = {
  kind: ForgeKind;
  host: string;
  owner: string;
  repo: string;
  cloneUrl: string;
  webBase: string;
  auth: () => Promise<{ username: string; password: string }>;
};

/**
 * The forge behind a scaffolder repoUrl (`host?owner=…&repo=…`), with the
 * credentials of the matching `integrations.github` / `integrations.gitea`
 * entry. Hosts without an integration are refused: the actions talk only
 * to configured forges. When one host has both (a Gitea that also answers
 * the GitHub API), `forge` picks.
 */
export function resolveRemote(
  repoUrl: string,
  integrations: ScmIntegrations,
  githubCredentials: DefaultGithubCredentialsProvider,
  forge?: ForgeKind,
): RemoteRepo {
  let parsed: ReturnType<typeof parseRepoUrl>;
  try {
    parsed = parseRepoUrl(repoUrl, integrations);
  } catch (error) {
    throw new InputError(`repoUrl: ${toError(error).message}`);
  }
  const { host, owner, repo } = parsed;
  if (!owner || !repo) {
    throw new InputError(`repoUrl: "${repoUrl}" needs both owner and repo`);
  }
  const github =
    forge !== 'gitea' ? integrations.github.byHost(host) : undefined;
  if (github) {
    const webBase = `https://${host}/${owner}/${repo}`;
    return {
      kind: 'github',
      host,
      owner,
      repo,
      cloneUrl: `${webBase}.git`,
      webBase,
      auth: async () => {
        const { token } = await githubCredentials.getCredentials({
          url: webBase,
        });
        return { username: 'x-access-token', password: token ?? '' };
      },
    };
  }
  const gitea =
    forge !== 'github' ? integrations.gitea.byHost(host) : undefined;
  if (gitea) {
    const base = (gitea.config.baseUrl ?? `https://${host}`).replace(/\/$/, '');
    return {
      kind: 'gitea',
      host,
      owner,
      repo,
      cloneUrl: `${base}/${owner}/${repo}.git`,
      webBase: `${base}/${owner}/${repo}`,
      auth: async () => ({
        username: gitea.config.username ?? 'git',
        password: gitea.config.password ?? '',
      }),
    };
  }
  throw new InputError(
    `repoUrl: no ${
      forge ?? 'GitHub or Gitea'
    } integration is configured for host "${host}" (integrations.${
      forge ?? 'github / integrations.gitea'
    })`,
  );
}

/**
 * Reads the repository by cloning the branch into a temporary folder: one
 * smart-HTTP fetch instead of a call per file, the same on GitHub, Gitea and
 * Forgejo. The last HISTORY_DEPTH commits come along, for the repository's
 * commit-message convention.
 */
export function cloneRepoOpener(
  integrations: ScmIntegrations,
  githubCredentials: DefaultGithubCredentialsProvider,
  hosts: { github: string[]; gitea: string[] },
): RepoOpener {
  return async (repoUrl, options = {}) => {
    const remote = resolveRemote(
      resolveRepoUrl(repoUrl, hosts, options.forge),
      integrations,
      githubCredentials,
      options.forge,
    );
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'homelab-gitops-'));
    const close = () => fs.rm(dir, { recursive: true, force: true });
    try {
      await cloneRepo({
        url: remote.cloneUrl,
        dir,
        auth: await remote.auth(),
        ref: options.branch || undefined,
        depth: HISTORY_DEPTH,
      });
    } catch (error) {
      await close();
      const message = toError(error)
        .message.replace(/\{data=.*\}$/, '')
        .trim();
      throw new InputError(
        `repoUrl: ${remote.owner}/${remote.repo} could not be read from ${
          remote.host
        }${options.branch ? ` (branch ${options.branch})` : ''}: ${message}`,
      );
    }
    const branch =
      options.branch ||
      (await git.currentBranch({ fs: nodeFs, dir })) ||
      'main';
    const treeWord = remote.kind === 'gitea' ? 'src/branch' : 'tree';
    return {
      snapshot: new DirectoryRepoSnapshot(
        dir,
        `${remote.owner}/${remote.repo}@${branch}`,
        branch,
      ),
      webUrl: p => `${remote.webBase}/${treeWord}/${branch}/${p}`,
      close,
    };
  };
}
