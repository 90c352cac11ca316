import { fullApp, testApp } from '../../../__testUtils__/apps';
import { crdProblems } from '../../../__testUtils__/crds';
import { AppTemplateProfile } from '../../profile/appTemplate';
import { DocumentStyle } from '../../profile/documentStyle';
import { APP } from '../../profile/normalize';
import { FluxChart } from './chart';
import { helmRelease } from './helmRelease';

const oci: FluxChart = {
  name: 'app-template',
  url: 'oci://ghcr.io/bjw-s-labs/helm/app-template',
  version: '4.2.0',
  source: 'oci',
};

const convention = <T>(value: T) => ({
  value,
  count: 3,
  total: 4,
  of: 'app-template releases',
});

/** What most app-template releases of a repository share, as the profile reads it. */
function profile(
  overrides: Partial<AppTemplateProfile> = {},
): AppTemplateProfile {
  return {
    releases: [],
    allReleases: 4,
    ociSpec: [],
    spec: [],
    values: [],
    controller: [],
    container: [],
    apiVersion: {},
    helmReleaseStyle: new DocumentStyle(),
    ociRepositoryStyle: new DocumentStyle(),
    ...overrides,
  };
}

describe('helmRelease', () => {
  it('builds a valid HelmRelease from the app alone (no release to copy)', () => {
    const { document, notes } = helmRelease(fullApp(), undefined, oci);

    expect(crdProblems(document)).toEqual([]);
    expect(notes).toEqual([]);
    expect(document).toEqual({
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'mealie' },
      spec: {
        chartRef: { kind: 'OCIRepository', name: 'mealie' },
        interval: '1h',
        values: {
          controllers: {
            mealie: {
              containers: {
                app: {
                  image: {
                    repository: 'ghcr.io/mealie-recipes/mealie',
                    tag: 'v2.1.0',
                  },
                  env: { TZ: 'Europe/Paris', ALLOW_SIGNUP: 'false' },
                  envFrom: [{ secretRef: { name: 'mealie-secret' } }],
                },
              },
            },
          },
          persistence: {
            data: {
              type: 'persistentVolumeClaim',
              accessMode: 'ReadWriteOnce',
              size: '5Gi',
              storageClass: 'ceph-block',
              globalMounts: [{ path: '/app/data' }],
            },
          },
          route: {
            app: {
              hostnames: ['mealie.home.example.org'],
              parentRefs: [
                {
                  name: 'internal',
                  namespace: 'kube-system',
                  sectionName: 'https',
                },
              ],
            },
          },
          service: { app: { ports: { http: { port: 9000 } } } },
        },
      },
    });
  });

  it('still sets the required interval when the repository has too few releases to share one', () => {
    const { document } = helmRelease(
      fullApp(),
      profile({ releases: [{} as never], allReleases: 1 }),
      oci,
    );

    expect(crdProblems(document)).toEqual([]);
    expect(document.spec.interval).toBe('1h');
  });

  it('keeps the home-ops key order: chartRef and interval first, values and container keys sorted, image first', () => {
    const { document } = helmRelease(
      fullApp(),
      profile({
        releases: [{} as never],
        spec: [
          { key: 'install', value: { remediation: { retries: 3 } }, note: 'n' },
          { key: 'interval', value: '30m', note: 'n' },
          { key: 'driftDetection', value: { mode: 'enabled' }, note: 'n' },
        ],
        values: [
          {
            key: 'defaultPodOptions',
            value: { securityContext: {} },
            note: 'n',
          },
        ],
        container: [
          {
            key: 'securityContext',
            value: { readOnlyRootFilesystem: true },
            note: 'n',
          },
        ],
      }),
      oci,
    );

    expect(crdProblems(document)).toEqual([]);
    expect(Object.keys(document.spec)).toEqual([
      'chartRef',
      'interval',
      'driftDetection',
      'install',
      'values',
    ]);
    expect(Object.keys(document.spec.values)).toEqual([
      'defaultPodOptions',
      'controllers',
      'persistence',
      'route',
      'service',
    ]);
    expect(
      Object.keys(document.spec.values.controllers.mealie.containers.app),
    ).toEqual(['image', 'env', 'envFrom', 'securityContext']);
  });

  it('takes the shared settings of the repository, with the app name where theirs was, and says where each comes from', () => {
    const { document, notes } = helmRelease(
      testApp(),
      profile({
        releases: [{} as never],
        spec: [
          { key: 'interval', value: '30m', note: 'interval: follows 3 of 4' },
        ],
        controller: [
          {
            key: 'annotations',
            value: { 'reloader.stakater.com/auto': 'true' },
            note: 'annotations: follows 4 of 4',
          },
        ],
        container: [
          {
            key: 'probes',
            value: {
              liveness: { enabled: true, custom: true },
              readiness: { enabled: true },
              startup: { enabled: false },
            },
            note: 'probes: follows 3 of 4',
          },
          {
            key: 'resources',
            value: { requests: { cpu: '10m' } },
            note: 'resources: follows 3 of 4',
          },
        ],
        values: [
          {
            key: 'serviceAccount',
            value: { [APP]: {} },
            note: 'serviceAccount: follows 3 of 4',
          },
        ],
      }),
      oci,
    );

    expect(crdProblems(document)).toEqual([]);
    expect(document.spec.interval).toBe('30m');
    expect(document.spec.values.serviceAccount).toEqual({ mealie: {} });
    expect(document.spec.values.controllers.mealie).toEqual({
      annotations: { 'reloader.stakater.com/auto': 'true' },
      containers: {
        app: {
          image: { repository: 'ghcr.io/mealie-recipes/mealie', tag: 'v2.1.0' },
          // Enabled probes only, without the app-specific custom checks.
          probes: { liveness: { enabled: true }, readiness: { enabled: true } },
          resources: { requests: { cpu: '10m' } },
        },
      },
    });
    expect(notes).toEqual([
      'container resources: follows 3 of 4',
      'container probes (liveness, readiness enabled): probes: follows 3 of 4',
      'controller annotations: follows 4 of 4',
      'values serviceAccount: follows 3 of 4',
      'HelmRelease interval: follows 3 of 4',
    ]);
  });

  it("points a helm-source release at the repository's HelmRepository, with the chart version", () => {
    const { document } = helmRelease(
      testApp(),
      profile({
        releases: [{} as never],
        spec: [{ key: 'interval', value: '1h', note: 'n' }],
        helmSourceRef: convention({
          kind: 'HelmRepository',
          name: 'bjw-s',
          namespace: 'flux-system',
        }),
      }),
      { ...oci, source: 'helm' },
    );

    expect(crdProblems(document)).toEqual([]);
    expect(document.spec).not.toHaveProperty('chartRef');
    expect(document.spec.chart).toEqual({
      spec: {
        chart: 'app-template',
        version: '4.2.0',
        sourceRef: {
          kind: 'HelmRepository',
          name: 'bjw-s',
          namespace: 'flux-system',
        },
      },
    });
  });

  it('names the volume and its claim as the repository does, and spells out route rules when most routes do', () => {
    const { document, notes } = helmRelease(
      fullApp(),
      profile({
        volume: convention({
          kind: 'pvc-file' as const,
          entry: 'config',
          claim: `${APP}-config`,
          fileName: 'pvc.yaml',
        }),
        routeRules: convention(true),
      }),
      oci,
    );

    expect(crdProblems(document)).toEqual([]);
    expect(document.spec.values.persistence).toEqual({
      config: {
        existingClaim: 'mealie-config',
        globalMounts: [{ path: '/app/data' }],
      },
    });
    expect(document.spec.values.route.app.rules).toEqual([
      { backendRefs: [{ identifier: 'app', port: 9000 }] },
    ]);
    expect(notes).toEqual([
      'route with rules/backendRefs: follows 3 of 4 app-template releases',
      'volume as existingClaim of a PVC manifest: follows 3 of 4 app-template releases',
    ]);
  });

  it('pins the digest in the tag, as Renovate writes it for app-template', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const { document } = helmRelease(
      testApp({
        image: { repository: 'ghcr.io/org/app', tag: '1.0', digest },
      }),
      undefined,
      oci,
    );
    expect(
      document.spec.values.controllers.mealie.containers.app.image,
    ).toEqual({ repository: 'ghcr.io/org/app', tag: `1.0@${digest}` });
  });
});
