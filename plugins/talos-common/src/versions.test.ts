import {
  compareVersions,
  mayUpgradeTalos,
  parseVersion,
  stableReleases,
  talosSupportsKubernetes,
  talosUpgradePath,
} from './versions';

const v = (s: string) => parseVersion(s)!;

describe('versions', () => {
  it('orders releases after their pre-releases and ignores garbage', () => {
    expect(compareVersions(v('v1.14.0'), v('v1.14.0-rc.1'))).toBeGreaterThan(0);
    expect(compareVersions(v('v1.10.10'), v('v1.10.9'))).toBeGreaterThan(0);
    expect(parseVersion('latest')).toBeUndefined();
    expect(
      stableReleases(['v1.14.0-rc.1', 'v1.13.9', 'x', 'v1.13.10']).map(
        r => r.raw,
      ),
    ).toEqual(['v1.13.10', 'v1.13.9']);
  });

  it('follows the support matrix for upgrades and Kubernetes', () => {
    // 1.13 may only be reached from 1.11.0 or newer.
    expect(mayUpgradeTalos(v('v1.10.6'), v('v1.13.0'))).toBe(false);
    expect(mayUpgradeTalos(v('v1.11.0'), v('v1.13.0'))).toBe(true);
    expect(mayUpgradeTalos(v('v1.10.6'), v('v1.10.6'))).toBe(false);
    expect(talosSupportsKubernetes(v('v1.10.6'), v('v1.33.3'))).toBe(true);
    expect(talosSupportsKubernetes(v('v1.10.6'), v('v1.34.0'))).toBe(false);
    expect(talosSupportsKubernetes(v('v1.13.0'), v('v1.30.0'))).toBe(false);
    expect(talosSupportsKubernetes(v('v2.0.0'), v('v1.30.0'))).toBeUndefined();
  });

  it('steps through minors the matrix allows, newest reachable first', () => {
    const releases = stableReleases([
      'v1.10.8',
      'v1.11.5',
      'v1.12.6',
      'v1.13.9',
      'v1.14.0-rc.1',
    ]);
    expect(
      talosUpgradePath(v('v1.10.6'), releases, v('v1.33.3')).map(r => r.raw),
    ).toEqual(['v1.12.6', 'v1.13.9']);
    // Kubernetes 1.29 is too old for Talos 1.12+: stop at 1.11.
    expect(
      talosUpgradePath(v('v1.10.6'), releases, v('v1.29.4')).map(r => r.raw),
    ).toEqual(['v1.11.5']);
    expect(talosUpgradePath(v('v1.13.9'), releases)).toEqual([]);
  });
});
