import { fullApp, testApp } from '../../../__testUtils__/apps';
import { crdProblems } from '../../../__testUtils__/crds';
import { DocumentStyle } from '../../profile/documentStyle';
import { APP } from '../../profile/normalize';
import { WorkloadProfile } from '../../profile/workloads';
import { appManifests } from './appManifests';
import { placement } from './rawManifests';

const convention = <T>(value: T) => ({ value, count: 4, total: 5, of: 'apps' });

/** What most workloads of a raw-manifest repository share. */
function workloads(overrides: Partial<WorkloadProfile> = {}): WorkloadProfile {
  return {
    fileNames: new Map(),
    podLabels: convention({ app: APP, tier: 'web' }),
    selector: convention({ app: APP }),
    podLabelsWritten: convention(true),
    serviceSpec: [
      { key: 'type', value: 'ClusterIP', note: 'type: follows 4 of 5' },
    ],
    targetPort: convention(true),
    labelled: new Map([['HTTPRoute', convention(true)]]),
    explicitNamespace: convention(true),
    kustomizationNamespace: convention(false),
    kustomizationSettings: [],
    deploymentSpec: [
      { key: 'replicas', value: 1, note: 'replicas: follows 5 of 5' },
    ],
    pod: [],
    container: [
      {
        key: 'imagePullPolicy',
        value: 'IfNotPresent',
        note: 'imagePullPolicy: follows 4 of 5',
      },
    ],
    pvcSpec: [],
    pvcName: convention(`${APP}-config`),
    probe: convention({ handler: 'httpGet', path: '/health' }),
    containerPortNamed: convention(true),
    portName: convention('web'),
    containerPortProtocol: convention(false),
    servicePortNamed: convention(true),
    servicePortProtocol: convention(true),
    targetPortByName: convention(true),
    recreateWithVolume: convention(true),
    routeMatches: convention(false),
    styles: new Map<string, DocumentStyle>(),
    workloads: 5,
    ...overrides,
  };
}

describe('appManifests', () => {
  it('makes a Namespace, Deployment, Service, PVC and HTTPRoute that fit together', () => {
    const app = fullApp({ namespace: 'recipes' });
    const { placement: p } = placement(app, undefined, 'recipes');
    const { manifests } = appManifests(app, undefined, p, 'recipes');

    expect(manifests.map(m => [m.kind, m.fallbackFile])).toEqual([
      ['Namespace', 'ns.yaml'],
      ['Deployment', 'deployment.yaml'],
      ['Service', 'svc.yaml'],
      ['PersistentVolumeClaim', 'pvc.yaml'],
      ['HTTPRoute', 'http-route.yaml'],
    ]);
    const [ns, deployment, service, pvc, route] = manifests.map(
      m => m.document,
    );
    expect(ns).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'recipes' },
    });
    for (const m of manifests.slice(1))
      expect(m.document.metadata.namespace).toBe('recipes');

    const pod = deployment.spec.template;
    const container = pod.spec.containers[0];
    expect(deployment.spec.selector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'mealie',
    });
    expect(pod.metadata.labels).toEqual(deployment.spec.selector.matchLabels);
    expect(container).toMatchObject({
      name: 'mealie',
      image: 'ghcr.io/mealie-recipes/mealie:v2.1.0',
      ports: [{ name: 'http', containerPort: 9000 }],
      env: [
        { name: 'TZ', value: 'Europe/Paris' },
        { name: 'ALLOW_SIGNUP', value: 'false' },
      ],
      envFrom: [{ secretRef: { name: 'mealie-secret' } }],
      volumeMounts: [{ name: 'data', mountPath: '/app/data' }],
    });
    // One volume: Recreate, so the new pod does not wait for the old one's claim.
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
    expect(pod.spec.volumes).toEqual([
      { name: 'data', persistentVolumeClaim: { claimName: pvc.metadata.name } },
    ]);

    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(service.spec.ports).toEqual([
      { name: 'http', port: 9000, targetPort: 'http' },
    ]);
    expect(pvc.spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'ceph-block',
      resources: { requests: { storage: '5Gi' } },
    });

    expect(crdProblems(route as any)).toEqual([]);
    expect(route.spec.hostnames).toEqual(['mealie.home.example.org']);
    expect(route.spec.rules[0].backendRefs).toEqual([
      { name: service.metadata.name, port: service.spec.ports[0].port },
    ]);
  });

  it('makes only what the app has: no Namespace, volume or route unless asked', () => {
    const app = testApp();
    const { placement: p } = placement(app, undefined, undefined);
    const { manifests } = appManifests(app, undefined, p);

    expect(manifests.map(m => m.kind)).toEqual(['Deployment', 'Service']);
    expect(manifests[0].document.metadata).toEqual({ name: 'mealie' });
    expect(manifests[0].document.spec).not.toHaveProperty('strategy');
  });

  it("writes the repository's conventions and says where each comes from", () => {
    const app = fullApp({ namespace: 'recipes' });
    const w = workloads();
    const placed = placement(app, w, undefined);
    const { manifests, notes } = appManifests(app, w, placed.placement);
    const [deployment, service, pvc, route] = manifests.map(m => m.document);

    expect(placed.placement).toEqual({
      podLabels: { app: 'mealie', tier: 'web' },
      selector: { app: 'mealie' },
    });
    expect(placed.notes).toEqual([
      'pod labels {"app":"mealie","tier":"web"}: follows 4 of 5 apps',
      'selector {"app":"mealie"}: follows 4 of 5 apps',
    ]);
    const container = deployment.spec.template.spec.containers[0];
    expect(container.imagePullPolicy).toBe('IfNotPresent');
    expect(container.ports).toEqual([{ name: 'web', containerPort: 9000 }]);
    expect(container.readinessProbe).toEqual({
      httpGet: { path: '/health', port: 'web' },
    });
    expect(container.livenessProbe).toEqual(container.readinessProbe);
    expect(service.spec).toEqual({
      type: 'ClusterIP',
      selector: { app: 'mealie' },
      ports: [{ name: 'web', port: 9000, targetPort: 'web', protocol: 'TCP' }],
    });
    expect(pvc.metadata.name).toBe('mealie-config');
    expect(
      deployment.spec.template.spec.volumes[0].persistentVolumeClaim,
    ).toEqual({
      claimName: 'mealie-config',
    });
    expect(deployment.spec.selector.matchLabels).toEqual({ app: 'mealie' });
    expect(deployment.spec.template.metadata.labels).toEqual({
      app: 'mealie',
      tier: 'web',
    });
    expect(route.metadata.labels).toEqual({ app: 'mealie', tier: 'web' });
    expect(route.spec.rules[0]).not.toHaveProperty('matches');
    expect(crdProblems(route as any)).toEqual([]);
    expect(notes).toEqual([
      'probes: httpGet, follows 4 of 5 apps',
      'container imagePullPolicy: follows 4 of 5',
      'strategy Recreate with a volume: follows 4 of 5 apps',
      'Deployment replicas: follows 5 of 5',
    ]);
  });
});
