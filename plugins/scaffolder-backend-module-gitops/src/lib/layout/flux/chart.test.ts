import { AppTemplateProfile } from '../../profile/appTemplate';
import { RepoProfile } from '../../profile/RepoProfile';
import { Problems } from '../../validation/problems';
import { chartNotes, fluxChart } from './chart';

const URL = 'oci://ghcr.io/bjw-s-labs/helm/app-template';
const convention = <T>(value: T) => ({
  value,
  count: 3,
  total: 4,
  of: 'app-template releases',
});
const repo = (appTemplate?: Partial<AppTemplateProfile>) =>
  ({
    description: 'home-ops/flux@main',
    appTemplate,
  } as RepoProfile);

describe('fluxChart', () => {
  it("takes the version and source most of the repository's releases have", () => {
    const problems = new Problems();
    expect(
      fluxChart(
        repo({
          version: convention('4.2.0'),
          source: convention('helm' as const),
          helmSourceRef: convention({ kind: 'HelmRepository', name: 'bjw-s' }),
        }),
        {
          appsPath: 'kubernetes/apps',
          chartUrl: URL,
          defaultChartVersion: '3.0.0',
        },
        problems,
      ),
    ).toEqual({
      name: 'app-template',
      url: URL,
      version: '4.2.0',
      source: 'helm',
    });
    expect(problems.list).toEqual([]);
  });

  it('falls back to the configured version and an OCIRepository', () => {
    expect(
      fluxChart(
        repo(),
        {
          appsPath: 'kubernetes/apps',
          chartUrl: URL,
          defaultChartVersion: '3.0.0',
        },
        new Problems(),
      ),
    ).toEqual({
      name: 'app-template',
      url: URL,
      version: '3.0.0',
      source: 'oci',
    });
  });

  it('refuses without a version to use, or a HelmRepository to copy', () => {
    const problems = new Problems();
    expect(
      fluxChart(
        repo(),
        { appsPath: 'kubernetes/apps', chartUrl: URL },
        problems,
      ),
    ).toBeUndefined();
    expect(
      fluxChart(
        repo({
          version: convention('4.2.0'),
          source: convention('helm' as const),
        }),
        { appsPath: 'kubernetes/apps', chartUrl: URL },
        problems,
      ),
    ).toBeUndefined();
    expect(problems.list.map(p => [p.field, p.rule])).toEqual([
      ['repoUrl', 'chart-version'],
      ['repoUrl', 'chart-source'],
    ]);
  });
});

describe('chartNotes', () => {
  it('says where the version and the source come from', () => {
    expect(
      chartNotes(
        { name: 'app-template', url: URL, version: '4.2.0', source: 'helm' },
        {
          version: convention('4.2.0'),
          source: convention('helm'),
          helmSourceRef: convention({ name: 'bjw-s' }),
          releases: [{}, {}, {}, {}],
          allReleases: 6,
        } as unknown as AppTemplateProfile,
      ),
    ).toEqual([
      'app-template 4.2.0: the version most app-template releases use (follows 3 of 4 app-template releases)',
      'chart from the HelmRepository bjw-s: follows 3 of 4 app-template releases',
      'conventions read from the 4 app-template releases only (of 6 HelmReleases)',
    ]);
    expect(
      chartNotes(
        { name: 'app-template', url: URL, version: '4.2.0', source: 'oci' },
        undefined,
      ),
    ).toEqual([]);
  });
});
