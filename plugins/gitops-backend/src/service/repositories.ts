import { Config } from '@backstage/config';

/** A GitOps repository the portal follows (`gitops.repositories[]`). */
export type RepositoryConfig = {
  name: string;
  engine: 'flux' | 'argocd';
  forge: 'github' | 'gitea';
  host: string;
  owner: string;
  repo: string;
  branch: string;
  appsPath: string;
};

export function readRepositories(config: Config): RepositoryConfig[] {
  return (config.getOptionalConfigArray('gitops.repositories') ?? []).map(r => {
    const engine = r.getString('engine');
    const forge = r.getString('forge');
    if (engine !== 'flux' && engine !== 'argocd')
      throw new Error(
        `gitops.repositories "${r.getString(
          'name',
        )}": engine must be flux or argocd, not "${engine}"`,
      );
    if (forge !== 'github' && forge !== 'gitea')
      throw new Error(
        `gitops.repositories "${r.getString(
          'name',
        )}": forge must be github or gitea, not "${forge}"`,
      );
    return {
      name: r.getString('name'),
      engine,
      forge,
      host: r.getString('host'),
      owner: r.getString('owner'),
      repo: r.getString('repo'),
      branch: r.getOptionalString('branch') ?? 'main',
      appsPath:
        r.getOptionalString('appsPath') ??
        (engine === 'flux' ? 'kubernetes/apps' : 'k8s/apps'),
    };
  });
}

/**
 * The app a file of the repository belongs to: `<appsPath>/<namespace or
 * category>/<app>/...` (both layouts nest apps this way).
 */
export function appOfPath(
  repo: RepositoryConfig,
  file: string,
): string | undefined {
  if (!file.startsWith(`${repo.appsPath}/`)) return undefined;
  const parts = file.slice(repo.appsPath.length + 1).split('/');
  return parts.length >= 3 ? parts[1] : undefined;
}
