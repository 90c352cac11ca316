import fs from 'node:fs';
import path from 'node:path';
import { copyFixture, overlay } from '../../__testUtils__/fixtures';
import { readRepoObjects } from '../profile/repoObjects';
import { DirectoryRepoSnapshot } from '../repo/DirectoryRepoSnapshot';
import { hostnamesInRepo } from './hostnamesInRepo';

/** Shapes real home-ops repositories serve hostnames with, in places and file names the layout does not predict. */
const served = new Map([
  [
    'kubernetes/infrastructure/observability/grafana/http.yaml',
    `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: grafana, namespace: observability }
spec:
  hostnames: [grafana.home.example.org]
  parentRefs: [{ name: internal, namespace: kube-system }]
`,
  ],
  [
    'kubernetes/apps/default/mealie/app/hr.yaml',
    `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: { name: mealie }
spec:
  values:
    route:
      app:
        hostnames: ["{{ .Release.Name }}.home.example.org"]
`,
  ],
  [
    'kubernetes/apps/default/old/app/release.yaml',
    `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: { name: old }
spec:
  releaseName: legacy
  values:
    ingress:
      app:
        hosts:
          - host: "{{ .Release.Name }}.home.example.org"
`,
  ],
  [
    'cluster/ingress.yaml',
    `apiVersion: v1
kind: Namespace
metadata: { name: lan }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: router, namespace: lan }
spec:
  rules: [{ host: router.home.example.org }]
  tls: [{ hosts: [nas.home.example.org] }]
`,
  ],
  [
    'cluster/grpc.yaml',
    `apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: { name: hubble }
spec:
  hostnames: [hubble.home.example.org]
`,
  ],
  [
    'argocd/apps/photos.yaml',
    `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: photos, namespace: argocd }
spec:
  source:
    chart: app-template
    helm:
      valuesObject:
        route:
          app:
            hostnames: [photos.home.example.org]
`,
  ],
]);

describe('hostnamesInRepo', () => {
  it('finds every hostname the repository serves, wherever and however', async () => {
    const dir = copyFixture('flux');
    try {
      overlay(dir, served);
      const found = hostnamesInRepo(
        await readRepoObjects(
          new DirectoryRepoSnapshot(dir, 'home-ops/flux@main'),
        ),
      );
      expect(Object.fromEntries(found)).toMatchObject({
        'grafana.home.example.org':
          'kubernetes/infrastructure/observability/grafana/http.yaml',
        'mealie.home.example.org': 'kubernetes/apps/default/mealie/app/hr.yaml',
        'legacy.home.example.org':
          'kubernetes/apps/default/old/app/release.yaml',
        'router.home.example.org': 'cluster/ingress.yaml',
        'nas.home.example.org': 'cluster/ingress.yaml',
        'hubble.home.example.org': 'cluster/grpc.yaml',
        'photos.home.example.org': 'argocd/apps/photos.yaml',
      });
      // The fixture's own app-template routes are still found.
      const fixtureRoutes = fs
        .readdirSync(path.join(dir, 'kubernetes/apps/media'), {
          withFileTypes: true,
        })
        .filter(e => e.isDirectory())
        .map(e => e.name)
        .filter(app =>
          fs
            .readFileSync(
              path.join(
                dir,
                'kubernetes/apps/media',
                app,
                'app/helmrelease.yaml',
              ),
              'utf8',
            )
            .includes('hostnames'),
        );
      for (const app of fixtureRoutes)
        expect([...found.values()]).toContain(
          `kubernetes/apps/media/${app}/app/helmrelease.yaml`,
        );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
