import {
  OpenPull,
  parseRenovatePull,
  PendingUpdate,
} from '@homelab-portal/plugin-gitops-common';
import { appOfPath } from './repositories';
import { Snapshot } from './Snapshot';

/** Open Renovate pull requests, matched to apps by the folders they touch. */
export function pendingUpdates(s: Snapshot): PendingUpdate[] {
  const out: PendingUpdate[] = [];
  for (const repo of s.repos) {
    for (const p of repo.pulls.filter(x => x.state === 'open')) {
      const update = parseRenovatePull(p);
      if (!update) continue;
      const apps = [
        ...new Set(
          p.files
            .map(f => appOfPath(repo.reader.repo, f))
            .filter((a): a is string => Boolean(a)),
        ),
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
