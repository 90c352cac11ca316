import { adviseUpgrades, readReleases } from './upgrades';

const releases = {
  source: 'static' as const,
  talos: [
    'v1.10.6',
    'v1.10.8',
    'v1.11.5',
    'v1.12.6',
    'v1.13.9',
    'v1.14.0-rc.1',
  ],
  kubernetes: ['v1.33.3', 'v1.33.7', 'v1.34.3', 'v1.35.1', 'v1.36.0'],
};

describe('adviseUpgrades', () => {
  it('gives the newest patch, the path the matrix allows and the Kubernetes the running Talos supports', () => {
    const advice = adviseUpgrades(
      ['v1.10.6', 'v1.10.6'],
      ['v1.33.3', 'v1.33.3'],
      releases,
    );
    expect(advice.talos).toEqual({
      running: ['v1.10.6'],
      latest: 'v1.13.9',
      latestPatch: 'v1.10.8',
      path: ['v1.12.6', 'v1.13.9'],
      notes: [],
    });
    expect(advice.kubernetes).toMatchObject({
      latest: 'v1.36.0',
      latestSupported: 'v1.33.7',
    });
    expect(advice.kubernetes.notes).toContain(
      'Kubernetes v1.36.0 needs a newer Talos than v1.10.6; upgrade Talos first',
    );
  });

  it('says when Kubernetes blocks the Talos path and when versions are mixed', () => {
    const advice = adviseUpgrades(
      ['v1.11.5', 'v1.12.6'],
      ['v1.29.4'],
      releases,
    );
    expect(advice.talos.path).toEqual([]);
    expect(advice.talos.notes).toEqual([
      'Talos 1.13 runs Kubernetes 1.31–1.36: upgrade Kubernetes (now v1.29.4) before going past v1.11.5',
      'nodes run different Talos versions (v1.11.5, v1.12.6): finish the upgrade in progress first',
    ]);
    expect(
      adviseUpgrades(['v1.13.9'], ['v1.36.0'], releases).talos.notes,
    ).toEqual(['every node runs the newest Talos release (v1.13.9)']);
  });
});

describe('readReleases', () => {
  it('falls back to the static list and says why when the Image Factory is unreachable', async () => {
    const r = await readReleases(
      {
        imageFactory: { url: 'https://127.0.0.1:1' },
        talosVersions: ['v1.13.9'],
      },
      1000,
    );
    expect(r.source).toBe('static');
    expect(r.talos).toEqual(['v1.13.9']);
    expect(r.error).toMatch(
      /^the Image Factory at https:\/\/127\.0\.0\.1:1\/versions could not be read \(.*\); using the static list from app-config$/,
    );
  });
});
