import { ofKind, RepoObject } from './repoObjects';

/** Which chart a HelmRelease installs, and from what kind of source. */
export type ReleaseChart = {
  release: RepoObject;
  /** chart name: `app-template` */
  chart: string;
  /** `oci`: chartRef to an OCIRepository; `helm`: chart.spec from a HelmRepository */
  source: 'oci' | 'helm' | 'other';
  version?: string;
  /** the OCIRepository (oci) or the HelmRepository (helm) */
  sourceObject?: RepoObject;
};

const lastSegment = (url: string) =>
  url.replace(/\/$/, '').slice(url.replace(/\/$/, '').lastIndexOf('/') + 1);

/**
 * The chart of every HelmRelease: through `chartRef` → OCIRepository (its
 * url's last segment, its ref.tag) or `chart.spec` → HelmRepository. The
 * source is looked up next to the release first, then anywhere.
 */
export function releaseCharts(objects: RepoObject[]): ReleaseChart[] {
  const ocis = ofKind(objects, 'OCIRepository');
  const helmRepos = ofKind(objects, 'HelmRepository');
  const find = (list: RepoObject[], name: string, dir: string) =>
    list.find(o => o.object.metadata?.name === name && o.dir === dir) ??
    list.find(o => o.object.metadata?.name === name);
  return ofKind(objects, 'HelmRelease').map(release => {
    const spec = release.object.spec ?? {};
    if (spec.chartRef?.kind === 'OCIRepository') {
      const oci = find(ocis, String(spec.chartRef.name), release.dir);
      const url = String(oci?.object.spec?.url ?? '');
      return {
        release,
        chart: url ? lastSegment(url) : String(spec.chartRef.name),
        source: 'oci',
        version: oci?.object.spec?.ref?.tag,
        sourceObject: oci,
      };
    }
    const chartSpec = spec.chart?.spec;
    if (chartSpec?.chart) {
      const ref = chartSpec.sourceRef ?? {};
      return {
        release,
        chart: lastSegment(String(chartSpec.chart)),
        source: ref.kind === 'HelmRepository' ? 'helm' : 'other',
        version: chartSpec.version ? String(chartSpec.version) : undefined,
        sourceObject:
          ref.kind === 'HelmRepository'
            ? find(helmRepos, String(ref.name), release.dir)
            : undefined,
      };
    }
    return { release, chart: '', source: 'other' };
  });
}

/** Compares dotted versions numerically (5.1.0 > 4.10.2 > 4.9.0). */
export function compareVersions(a: string, b: string): number {
  const pa = a.replace(/^v/, '').split(/[.-]/);
  const pb = b.replace(/^v/, '').split(/[.-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = Number(pa[i] ?? 0);
    const y = Number(pb[i] ?? 0);
    if (Number.isNaN(x) || Number.isNaN(y)) {
      const c = String(pa[i] ?? '').localeCompare(String(pb[i] ?? ''));
      if (c !== 0) return c;
    } else if (x !== y) return x - y;
  }
  return 0;
}
