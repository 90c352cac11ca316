import { fullApp, testApp } from '../../../__testUtils__/apps';
import { crdProblems } from '../../../__testUtils__/crds';
import { VolumePattern } from '../../profile/appTemplate';
import { DocumentStyle } from '../../profile/documentStyle';
import { FluxKsProfile } from '../../profile/kustomizations';
import { APP } from '../../profile/normalize';
import { fluxKustomization } from './fluxKustomization';

const MANIFESTS = 'kubernetes/apps/default/mealie/app';

/** What most app Kustomizations (ks.yaml) of a home-ops repository share. */
const homeOps: FluxKsProfile = {
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
  spec: [
    { key: 'interval', value: '1h', note: 'interval: follows 9 of 10' },
    { key: 'prune', value: true, note: 'prune: follows 10 of 10' },
    {
      key: 'sourceRef',
      value: {
        kind: 'GitRepository',
        name: 'flux-system',
        namespace: 'flux-system',
      },
      note: 'sourceRef: follows 10 of 10',
    },
    {
      key: 'commonMetadata',
      value: { labels: { 'app.kubernetes.io/name': APP } },
      note: 'commonMetadata: follows 8 of 10',
    },
    {
      key: 'postBuild',
      value: { substitute: { APP, VOLSYNC_CAPACITY: '1Gi' } },
      note: 'postBuild: follows 6 of 10',
    },
  ],
  metadataNamespace: { value: 'flux-system', count: 10, total: 10, of: 'ks' },
  targetNamespace: { value: true, count: 10, total: 10, of: 'ks' },
  components: [{ value: '../../../../components/alerts', count: 7, total: 10 }],
  style: new DocumentStyle(),
  total: 10,
};

const volsync: VolumePattern = {
  kind: 'component',
  entry: 'config',
  claim: APP,
  component: '../../../../components/volsync',
  substitute: { APP },
  capacityVar: 'VOLSYNC_CAPACITY',
};

describe('fluxKustomization', () => {
  it('builds a valid Kustomization with what Flux requires when there is none to copy', () => {
    const { document, notes } = fluxKustomization(
      testApp(),
      MANIFESTS,
      undefined,
      undefined,
    );

    expect(crdProblems(document)).toEqual([]);
    expect(notes).toEqual([]);
    expect(document).toEqual({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'mealie' },
      spec: {
        interval: '1h',
        prune: true,
        sourceRef: {
          kind: 'GitRepository',
          name: 'flux-system',
          namespace: 'flux-system',
        },
        path: `./${MANIFESTS}`,
        targetNamespace: 'default',
      },
    });
  });

  it("copies the repository's shared spec and components, and adds the volume Component sized for the app", () => {
    const { document, notes } = fluxKustomization(
      fullApp({ namespace: 'home' }),
      MANIFESTS,
      homeOps,
      volsync,
    );

    expect(crdProblems(document)).toEqual([]);
    expect(document.metadata).toEqual({
      name: 'mealie',
      namespace: 'flux-system',
    });
    expect(document.spec).toEqual({
      interval: '1h',
      prune: true,
      sourceRef: {
        kind: 'GitRepository',
        name: 'flux-system',
        namespace: 'flux-system',
      },
      commonMetadata: { labels: { 'app.kubernetes.io/name': 'mealie' } },
      postBuild: { substitute: { APP: 'mealie', VOLSYNC_CAPACITY: '5Gi' } },
      path: `./${MANIFESTS}`,
      targetNamespace: 'home',
      components: [
        '../../../../components/alerts',
        '../../../../components/volsync',
      ],
    });
    expect(notes).toEqual([
      'ks.yaml interval: follows 9 of 10',
      'ks.yaml prune: follows 10 of 10',
      'ks.yaml sourceRef: follows 10 of 10',
      'ks.yaml commonMetadata: follows 8 of 10',
      'ks.yaml postBuild: follows 6 of 10',
      'ks.yaml component ../../../../components/alerts: follows 7 of 10 app Kustomizations',
    ]);
  });

  it("drops the volume Component's sizing for an app without a volume", () => {
    const { document } = fluxKustomization(
      testApp(),
      MANIFESTS,
      homeOps,
      volsync,
    );

    expect(crdProblems(document)).toEqual([]);
    expect(document.spec.components).toEqual(['../../../../components/alerts']);
    expect(document.spec.postBuild).toEqual({ substitute: { APP: 'mealie' } });
  });
});
