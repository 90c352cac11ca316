import { resolveRepoUrl } from './openRepo';

describe('resolveRepoUrl', () => {
  const hosts = { github: ['localhost:23000'], gitea: ['localhost:23000'] };

  it('keeps a full repoUrl', () => {
    expect(resolveRepoUrl('git.example.org?owner=a&repo=b', hosts)).toBe(
      'git.example.org?owner=a&repo=b',
    );
  });

  it('puts owner/repo on the one configured forge of the chosen kind', () => {
    expect(resolveRepoUrl('home-ops/k8s-gitops', hosts, 'gitea')).toBe(
      'localhost:23000?owner=home-ops&repo=k8s-gitops',
    );
    expect(
      resolveRepoUrl('home-ops/home-ops', { github: [], gitea: ['git.home'] }),
    ).toBe('git.home?owner=home-ops&repo=home-ops');
  });

  it('refuses what it cannot place', () => {
    expect(() => resolveRepoUrl('home-ops', hosts)).toThrow(
      /neither host\?owner=…&repo=… nor owner\/repo/,
    );
    expect(() =>
      resolveRepoUrl('a/b', { github: [], gitea: [] }, 'gitea'),
    ).toThrow(/no gitea integration is configured/);
    expect(() =>
      resolveRepoUrl('a/b', { github: ['x', 'y'], gitea: [] }),
    ).toThrow(/several github integrations are configured \(x, y\)/);
  });
});
