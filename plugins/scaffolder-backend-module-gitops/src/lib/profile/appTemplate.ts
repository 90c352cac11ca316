import path from 'node:path';
import { ReleaseChart, compareVersions } from './charts';
import { DocumentStyle } from './documentStyle';
import { APP, normalize } from './normalize';
import { RepoObject } from './repoObjects';
import { commonSettings, Setting } from './settings';
import { Convention, Tally } from './tally';

/** How the repository gives an app-template app its data volume. */
export type VolumePattern =
  /** existingClaim of a PVC a kustomize Component makes (with a backup), sized by a substitution */
  | {
      kind: 'component';
      entry: string;
      claim: string;
      component: string;
      /** `postBuild.substitute` the component needs, with the placeholder for the app */
      substitute: Record<string, string>;
      /** the substitution that sizes the volume (`${VOLSYNC_CAPACITY:=5Gi}`) */
      capacityVar?: string;
    }
  /** existingClaim of a PVC manifest next to the release */
  | { kind: 'pvc-file'; entry: string; claim: string; fileName: string }
  /** the chart makes the PVC (`type: persistentVolumeClaim`) */
  | { kind: 'chart'; entry: string };

/** What app-template releases in the repository have in common. */
export type AppTemplateProfile = {
  /** app-template releases (the chart is compared, not the file name) */
  releases: ReleaseChart[];
  /** every HelmRelease, whatever its chart */
  allReleases: number;
  source?: Convention<'oci' | 'helm'>;
  version?: Convention<string>;
  ociSpec: Setting[];
  helmSourceRef?: Convention<Record<string, string>>;
  spec: Setting[];
  values: Setting[];
  controller: Setting[];
  container: Setting[];
  /** most routes spell out `rules: [{backendRefs: [{identifier, port}]}]` */
  routeRules?: Convention<boolean>;
  volume?: Convention<VolumePattern>;
  /** apiVersions most releases and their OCIRepositories use */
  apiVersion: { helmRelease?: string; ociRepository?: string };
  helmReleaseStyle: DocumentStyle;
  ociRepositoryStyle: DocumentStyle;
};

export const mainController = (release: Record<string, any>) => {
  const controllers = release.spec?.values?.controllers ?? {};
  const name = release.metadata?.name;
  const key = name in controllers ? name : Object.keys(controllers)[0];
  return key === undefined ? undefined : { key, value: controllers[key] };
};

export const mainContainer = (controller: Record<string, any> | undefined) => {
  const containers = controller?.containers ?? {};
  const key = 'app' in containers ? 'app' : Object.keys(containers)[0];
  return key === undefined ? undefined : { key, value: containers[key] };
};

/** `${VAR:=5Gi}` → VAR */
function substitutionVar(value: unknown): string | undefined {
  return /^\$\{([A-Z0-9_]+)(?::=[^}]*)?\}$/.exec(String(value ?? ''))?.[1];
}

function volumeOf(
  chart: ReleaseChart,
  objects: RepoObject[],
  ksFor: (release: RepoObject) => RepoObject | undefined,
): VolumePattern | undefined {
  const release = chart.release.object;
  const name = release.metadata?.name;
  const persistence: Record<string, any> =
    release.spec?.values?.persistence ?? {};
  for (const [entry, p] of Object.entries(persistence)) {
    const normalizedEntry = String(normalize(entry, name));
    if (p?.type === 'persistentVolumeClaim' && !p.existingClaim)
      return { kind: 'chart', entry: normalizedEntry };
    if (!p?.existingClaim) continue;
    const claimName = String(p.existingClaim).replace(
      /\{\{\s*\.Release\.Name\s*\}\}/,
      name,
    );
    const claim = String(normalize(p.existingClaim, name));
    const ks = ksFor(chart.release);
    const ksPath = String(ks?.object.spec?.path ?? '').replace(/^\.\//, '');
    for (const component of ks?.object.spec?.components ?? []) {
      const dir = path.posix.normalize(
        path.posix.join(ksPath, String(component)),
      );
      const pvc = objects.find(
        o =>
          o.dir === dir &&
          o.object.kind === 'PersistentVolumeClaim' &&
          String(o.object.metadata?.name).includes('${'),
      );
      if (!pvc) continue;
      const substitute = Object.fromEntries(
        Object.entries<string>(ks?.object.spec?.postBuild?.substitute ?? {})
          .filter(([k]) => pvc.text.includes(`\${${k}`))
          .map(([k, v]) => [k, String(normalize(v, name))]),
      );
      return {
        kind: 'component',
        entry: normalizedEntry,
        claim,
        component: String(component),
        substitute: Object.fromEntries(
          Object.entries(substitute).filter(([, v]) => v === APP),
        ),
        capacityVar: substitutionVar(
          pvc.object.spec?.resources?.requests?.storage,
        ),
      };
    }
    const file = objects.find(
      o =>
        o.object.kind === 'PersistentVolumeClaim' &&
        o.object.metadata?.name === claimName &&
        o.dir === chart.release.dir,
    );
    if (file) {
      return {
        kind: 'pvc-file',
        entry: normalizedEntry,
        claim,
        fileName: file.path.slice(file.dir.length + 1),
      };
    }
  }
  return undefined;
}

/**
 * Conventions of the releases of one chart (app-template), read from every
 * release of that chart in the repository: other charts' releases (a
 * cert-manager, a Cilium) say nothing about how an app-template app looks.
 */
export function appTemplateProfile(
  charts: ReleaseChart[],
  objects: RepoObject[],
  chartName: string,
  ksFor: (release: RepoObject) => RepoObject | undefined,
): AppTemplateProfile {
  const releases = charts.filter(c => c.chart === chartName);
  const of = `${chartName} releases`;
  const named = <T>(get: (r: ReleaseChart) => T) =>
    releases.map(r => ({
      value: get(r) as any,
      name: r.release.object.metadata?.name,
    }));
  const controllers = releases.map(r => mainController(r.release.object));
  const volumes = new Tally<VolumePattern>(
    releases.map(r => volumeOf(r, objects, ksFor)),
  );
  const routed = releases
    .map(r => Object.values<any>(r.release.object.spec?.values?.route ?? {})[0])
    .filter(Boolean);
  const ociSources = releases
    .filter(r => r.source === 'oci' && r.sourceObject)
    .map(r => r.sourceObject!);
  const helmReleaseStyle = new DocumentStyle();
  for (const r of releases)
    helmReleaseStyle.learn(r.release, r.release.object.metadata?.name);
  const ociRepositoryStyle = new DocumentStyle();
  for (const o of ociSources)
    ociRepositoryStyle.learn(o, o.object.metadata?.name);
  return {
    releases,
    allReleases: charts.length,
    source: new Tally<'oci' | 'helm'>(
      releases.map(r => (r.source === 'other' ? undefined : r.source)),
    ).mostCommon(of),
    version: new Tally(releases.map(r => r.version)).mostCommon(
      of,
      compareVersions,
    ),
    ociSpec: commonSettings(
      ociSources.map(o => ({
        value: o.object.spec,
        name: o.object.metadata?.name,
      })),
      `${chartName} OCIRepositories`,
      ['ref'],
    ),
    helmSourceRef: new Tally<Record<string, string>>(
      releases
        .filter(r => r.source === 'helm')
        .map(r => r.release.object.spec?.chart?.spec?.sourceRef),
    ).mostCommon(of),
    spec: commonSettings(
      named(r => r.release.object.spec),
      of,
      [
        'chart',
        'chartRef',
        'values',
        'valuesFrom',
        'dependsOn',
        'releaseName',
        'targetNamespace',
        'postRenderers',
      ],
    ),
    values: commonSettings(
      named(r => r.release.object.spec?.values),
      of,
      [
        'controllers',
        'service',
        'route',
        'ingress',
        'persistence',
        'configMaps',
        'secrets',
        'rawResources',
        'serviceAccount',
        'serviceMonitor',
        'networkpolicies',
        'rbac',
      ],
    ),
    controller: commonSettings(
      releases.map((r, i) => ({
        value: controllers[i]?.value,
        name: r.release.object.metadata?.name,
      })),
      of,
      [
        'containers',
        'initContainers',
        'replicas',
        'type',
        'cronjob',
        'statefulset',
        'job',
      ],
    ),
    container: commonSettings(
      releases.map((r, i) => ({
        value: mainContainer(controllers[i]?.value)?.value,
        name: r.release.object.metadata?.name,
      })),
      of,
      ['image', 'env', 'envFrom', 'args', 'command', 'ports', 'workingDir'],
    ),
    routeRules:
      routed.length > 0
        ? new Tally<boolean>(
            routed.map(r => Array.isArray(r.rules) && r.rules.length > 0),
          ).mostCommon(`${chartName} routes`)
        : undefined,
    volume: volumes.mostCommon(`${chartName} releases with a volume`) && {
      ...volumes.mostCommon(`${chartName} releases with a volume`)!,
      total: volumes.present,
    },
    apiVersion: {
      helmRelease: new Tally(
        releases.map(r => String(r.release.object.apiVersion)),
      ).mostCommon(of)?.value,
      ociRepository: new Tally(
        ociSources.map(o => String(o.object.apiVersion)),
      ).mostCommon(of)?.value,
    },
    helmReleaseStyle,
    ociRepositoryStyle,
  };
}
