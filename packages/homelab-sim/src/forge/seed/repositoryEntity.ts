import { yamlFile } from './yamlFile';

/**
 * The repository's own `catalog-info.yaml` at its root. The portal reads
 * `**\/catalog-info.yaml` from each GitOps repository, so an app merged from
 * "Add an app" (its folder carries one) shows up without anyone registering
 * it; this root file keeps that glob from ever matching nothing.
 */
export function repositoryEntity(repo: {
  name: string;
  layout: 'flux' | 'argocd';
  description?: string;
}): string {
  const controller = repo.layout === 'flux' ? 'Flux' : 'Argo CD';
  return yamlFile(
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: repo.name,
        title: `${repo.name} repository`,
        description:
          repo.description ||
          `GitOps repository that ${controller} reconciles the cluster from.`,
        tags: ['gitops', repo.layout],
      },
      spec: {
        type: 'git-repository',
        owner: 'group:default/home-admins',
        system: 'homelab',
      },
    },
    {
      comment:
        "This repository in the portal's catalog. Each app's folder has its own\ncatalog-info.yaml; the portal finds them all.",
    },
  );
}
