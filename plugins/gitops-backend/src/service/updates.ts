import {
  OpenPull,
  parseRenovatePull,
  PendingUpdate,
} from '@homelab-portal/plugin-gitops-common';
import { appOfPath } from './repositories';
import { Snapshot } from './Snapshot';

/**
 * Apps running an image, by their `backstage.io/kubernetes-id`: how a pull
 * request is matched when the forge does not list its files.
 */
function appsRunning(s: Snapshot, image: string): string[] {
  return [
    ...s.cluster.deployments,
    ...s.cluster.statefulsets,
    ...s.cluster.daemonsets,
  ]
    .filter(w =>
      (w.spec?.template?.spec?.containers ?? []).some(
        (c: any) => String(c.image).replace(/:[^:/]*$/, '') === image,
      ),
    )
    .map(w => w.metadata.labels?.['backstage.io/kubernetes-id'])
    .filter((a): a is string => Boolean(a));
}

/** Open Renovate pull requests, matched to apps by the folders they touch (else by the image they bump). */
export function pendingUpdates(s: Snapshot): PendingUpdate[] {
  const out: PendingUpdate[] = [];
  for (const repo of s.repos) {
    for (const p of repo.pulls.filter(x => x.state === 'open')) {
      const update = parseRenovatePull(p);
      if (!update) continue;
      const byFiles = p.files
        .map(f => appOfPath(repo.reader.repo, f))
        .filter((a): a is string => Boolean(a));
      const apps = [
        ...new Set(byFiles.length ? byFiles : appsRunning(s, update.depName)),
      ].sort();
      out.push({
        repository: repo.reader.repo.name,
        number: p.number,
        title: p.title,
        url: p.url,
        apps,
        ...update,
        createdAt: p.createdAt,
      });
    }
  }
  return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** Every open pull request of the GitOps repositories. */
export function openPulls(s: Snapshot): OpenPull[] {
  return s.repos
    .flatMap(repo =>
      repo.pulls
        .filter(p => p.state === 'open')
        .map(p => ({
          repository: repo.reader.repo.name,
          number: p.number,
          title: p.title,
          url: p.url,
          author: p.author,
          createdAt: p.createdAt,
          renovate: p.head.startsWith('renovate/'),
        })),
    )
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}
