import { DocumentStyle } from './documentStyle';
import { AppEntry } from './layout';
import { normalize } from './normalize';
import { baseName, RepoObject } from './repoObjects';
import { commonSettings, Setting } from './settings';
import { Convention, presence, Tally } from './tally';

const WORKLOADS = ['Deployment', 'StatefulSet'];

/** How the repository writes an app as raw manifests (Argo CD layouts). */
export type WorkloadProfile = {
  /** file name per kind, normalized (`deployment.yaml`, `svc.yaml`, `secret-<secret>.yaml`) */
  fileNames: Map<string, Convention<string>>;
  /** labels on the workload's metadata (when most have the same), pod template and selector (placeholder for the app) */
  labels?: Convention<Record<string, string>>;
  podLabels?: Convention<Record<string, string>>;
  selector?: Convention<Record<string, string>>;
  /** most pod templates carry labels (else the kustomization's commonLabels gives them) */
  podLabelsWritten: Convention<boolean>;
  /** Service spec settings (type, …) */
  serviceSpec: Setting[];
  /** Service ports name a targetPort */
  targetPort: Convention<boolean>;
  /** labels on the other objects, per kind, when most carry the workload's */
  labelled: Map<string, Convention<boolean>>;
  /** objects name their namespace themselves (or the kustomization does) */
  explicitNamespace: Convention<boolean>;
  kustomizationNamespace: Convention<boolean>;
  kustomizationSettings: Setting[];
  /** Deployment spec settings (replicas, revisionHistoryLimit, …) */
  deploymentSpec: Setting[];
  pod: Setting[];
  container: Setting[];
  /** PVC spec settings (storageClassName, …) and name (placeholder for the app) */
  pvcSpec: Setting[];
  pvcName?: Convention<string>;
  /** the probe most containers have: none, tcpSocket or httpGet (with its path) */
  probe?: Convention<{ handler: string; path?: string } | 'none'>;
  containerPortNamed: Convention<boolean>;
  /** the name most apps give their main port (`http`, `web`) */
  portName?: Convention<string>;
  /** the name most Services give their port */
  servicePortName?: Convention<string>;
  containerPortProtocol: Convention<boolean>;
  servicePortNamed: Convention<boolean>;
  servicePortProtocol: Convention<boolean>;
  targetPortByName: Convention<boolean>;
  /** Deployments with a volume use `strategy: Recreate` */
  recreateWithVolume?: Convention<boolean>;
  routeMatches?: Convention<boolean>;
  /** rendering per kind */
  styles: Map<string, DocumentStyle>;
  workloads: number;
};

function probeOf(container: Record<string, any>) {
  const probe = container.readinessProbe ?? container.livenessProbe;
  if (!probe) return 'none' as const;
  if (probe.httpGet)
    return { handler: 'httpGet', path: String(probe.httpGet.path ?? '/') };
  if (probe.tcpSocket) return { handler: 'tcpSocket' };
  return {
    handler:
      Object.keys(probe).find(k => k !== 'initialDelaySeconds') ?? 'exec',
  };
}

/**
 * Reads the apps' own manifests (the objects in app folders), each compared
 * with its app's name as the placeholder.
 */
export function workloadProfile(
  objects: RepoObject[],
  apps: AppEntry[],
): WorkloadProfile {
  const appOf = new Map<string, AppEntry>();
  for (const app of apps) appOf.set(app.manifestsPath, app);
  const inApps = objects.filter(o => appOf.has(o.dir));
  const nameOf = (o: RepoObject) => appOf.get(o.dir)?.name;
  const kind = (k: string) => inApps.filter(o => o.object.kind === k);
  const workloads = inApps.filter(o => WORKLOADS.includes(o.object.kind));
  const containers = workloads.map(w => {
    const list: any[] = w.object.spec?.template?.spec?.containers ?? [];
    return list.find(c => c?.name === nameOf(w)) ?? list[0] ?? {};
  });
  const norm = (o: RepoObject, v: unknown) => normalize(v, nameOf(o)) as any;
  const labelsOf = (get: (o: RepoObject) => unknown) =>
    new Tally<Record<string, string>>(
      workloads.map(w => (get(w) ? norm(w, get(w)) : undefined)),
    );
  const fileNames = new Map<string, Convention<string>>();
  for (const k of [
    ...WORKLOADS,
    'Service',
    'HTTPRoute',
    'PersistentVolumeClaim',
    'Namespace',
    'SealedSecret',
    'ExternalSecret',
  ]) {
    const tally = new Tally<string>(
      kind(k).map(o => {
        const file = baseName(o.path);
        const own =
          o.object.kind === 'SealedSecret'
            ? o.object.metadata?.name
            : undefined;
        return own && file.includes(own)
          ? file.replace(own, '<secret>')
          : String(normalize(file, nameOf(o)));
      }),
    ).mostCommon(`${k} manifests`);
    if (tally) fileNames.set(k, tally);
  }
  const labelled = new Map<string, Convention<boolean>>();
  for (const k of [
    'Service',
    'HTTPRoute',
    'PersistentVolumeClaim',
    'SealedSecret',
  ]) {
    const list = kind(k);
    if (list.length > 0)
      labelled.set(
        k,
        presence(
          list.map(o => !!o.object.metadata?.labels),
          `${k}s`,
        ),
      );
  }
  const namespaced = inApps.filter(
    o => !['Namespace', 'Kustomization'].includes(o.object.kind),
  );
  const appKustomizations = inApps.filter(
    o =>
      o.object.kind === 'Kustomization' &&
      String(o.object.apiVersion).startsWith('kustomize.config'),
  );
  const servicePorts = kind('Service').flatMap(s => s.object.spec?.ports ?? []);
  const containerPorts = containers.flatMap(c => c.ports ?? []);
  const withVolume = workloads.filter(w =>
    (w.object.spec?.template?.spec?.volumes ?? []).some(
      (v: any) => v?.persistentVolumeClaim,
    ),
  );
  const routes = kind('HTTPRoute');
  const styles = new Map<string, DocumentStyle>();
  for (const o of inApps) {
    const key =
      o.object.kind === 'Kustomization' ? 'kustomization' : o.object.kind;
    const style = styles.get(key) ?? new DocumentStyle();
    style.learn(o, nameOf(o));
    styles.set(key, style);
  }
  return {
    fileNames,
    // Optional labels only when most have them; pods need some, so the most common.
    labels: labelsOf(w => w.object.metadata?.labels).majority('Deployments'),
    podLabels: labelsOf(
      w => w.object.spec?.template?.metadata?.labels,
    ).mostCommon('Deployments'),
    selector: labelsOf(w => w.object.spec?.selector?.matchLabels).mostCommon(
      'Deployments',
    ),
    labelled,
    explicitNamespace: presence(
      namespaced.map(o => !!o.object.metadata?.namespace),
      'app manifests',
    ),
    kustomizationNamespace: presence(
      appKustomizations.map(k => !!k.object.namespace),
      'app kustomizations',
    ),
    kustomizationSettings: commonSettings(
      appKustomizations.map(k => ({ value: k.object, name: nameOf(k) })),
      'app kustomizations',
      [
        'apiVersion',
        'kind',
        'resources',
        'namespace',
        'configMapGenerator',
        'secretGenerator',
        'patches',
        'images',
        'helmCharts',
        'components',
      ],
    ),
    podLabelsWritten: presence(
      workloads.map(w => !!w.object.spec?.template?.metadata?.labels),
      'pod templates',
    ),
    serviceSpec: commonSettings(
      kind('Service').map(s => ({ value: s.object.spec, name: nameOf(s) })),
      'Services',
      [
        'selector',
        'ports',
        'clusterIP',
        'clusterIPs',
        'loadBalancerIP',
        'externalTrafficPolicy',
      ],
    ),
    targetPort: presence(
      servicePorts.map((p: any) => p?.targetPort !== undefined),
      'Service ports',
    ),
    deploymentSpec: commonSettings(
      workloads.map(w => ({ value: w.object.spec, name: nameOf(w) })),
      'Deployments',
      [
        'selector',
        'template',
        'strategy',
        'serviceName',
        'volumeClaimTemplates',
        'updateStrategy',
      ],
    ),
    pvcSpec: commonSettings(
      kind('PersistentVolumeClaim').map(p => ({
        value: p.object.spec,
        name: nameOf(p),
      })),
      'PersistentVolumeClaims',
      ['resources', 'volumeName', 'dataSource', 'dataSourceRef', 'selector'],
    ),
    pvcName: new Tally<string>(
      kind('PersistentVolumeClaim').map(p =>
        String(normalize(p.object.metadata?.name, nameOf(p))),
      ),
    ).majority('PersistentVolumeClaims'),
    pod: commonSettings(
      workloads.map(w => ({
        value: w.object.spec?.template?.spec,
        name: nameOf(w),
      })),
      'Deployments',
      ['containers', 'initContainers', 'volumes'],
    ),
    container: commonSettings(
      containers.map((c, i) => ({ value: c, name: nameOf(workloads[i]) })),
      'Deployments',
      [
        'name',
        'image',
        'env',
        'envFrom',
        'ports',
        'volumeMounts',
        'command',
        'args',
        'livenessProbe',
        'readinessProbe',
        'startupProbe',
        'workingDir',
      ],
    ),
    probe:
      containers.length > 0
        ? new Tally(containers.map(probeOf)).mostCommon('Deployments')
        : undefined,
    containerPortNamed: presence(
      containerPorts.map((p: any) => !!p?.name),
      'container ports',
    ),
    servicePortName: new Tally<string>(
      kind('Service').map(s =>
        s.object.spec?.ports?.[0]?.name
          ? String(s.object.spec.ports[0].name)
          : undefined,
      ),
    ).mostCommon('Service ports'),
    portName: new Tally<string>(
      containers.map(c =>
        c.ports?.[0]?.name ? String(c.ports[0].name) : undefined,
      ),
    ).mostCommon('main container ports'),
    containerPortProtocol: presence(
      containerPorts.map((p: any) => !!p?.protocol),
      'container ports',
    ),
    servicePortNamed: presence(
      servicePorts.map((p: any) => !!p?.name),
      'Service ports',
    ),
    servicePortProtocol: presence(
      servicePorts.map((p: any) => !!p?.protocol),
      'Service ports',
    ),
    targetPortByName: presence(
      servicePorts.map((p: any) => typeof p?.targetPort === 'string'),
      'Service ports',
    ),
    recreateWithVolume:
      withVolume.length > 0
        ? presence(
            withVolume.map(w => w.object.spec?.strategy?.type === 'Recreate'),
            'Deployments with a volume',
          )
        : undefined,
    routeMatches:
      routes.length > 0
        ? presence(
            routes.map(r =>
              (r.object.spec?.rules ?? []).some((x: any) => x?.matches),
            ),
            'HTTPRoutes',
          )
        : undefined,
    styles,
    workloads: workloads.length,
  };
}
