import { withName } from '../../profile/normalize';
import { Setting, settingsFor } from '../../profile/settings';
import { explain } from '../../profile/tally';
import { WorkloadProfile } from '../../profile/workloads';
import { buildHttpRoute } from '../../route/httpRoute';
import { imageString } from '../../validation/image';
import { AppSpec } from '../types';

/** The labels, selector and namespace placement the app's objects get. */
export type Placement = {
  /** metadata.namespace on each object (else the kustomization or Argo CD sets it) */
  namespace?: string;
  podLabels: Record<string, string>;
  selector: Record<string, string>;
  /** labels on the workload's metadata, when most workloads have the same */
  labels?: Record<string, string>;
};

const noted = (
  settings: Setting[],
  where: string,
  notes: string[],
  name: string,
) => {
  for (const s of settings) notes.push(`${where} ${s.note}`);
  return settingsFor(settings, name);
};

/** Labels and selector most of the repository's workloads use, for this app (the notes say why). */
export function placement(
  app: AppSpec,
  w: WorkloadProfile | undefined,
  namespace: string | undefined,
): { placement: Placement; notes: string[] } {
  const notes: string[] = [];
  const fill = (c?: { value: Record<string, string> }) =>
    c ? withName(c.value, app.name) : undefined;
  const podLabels = fill(w?.podLabels) ?? {
    'app.kubernetes.io/name': app.name,
  };
  const selector = fill(w?.selector) ?? podLabels;
  if (w?.podLabels)
    notes.push(
      `pod labels ${JSON.stringify(podLabels)}: ${explain(w.podLabels)}`,
    );
  if (w?.selector)
    notes.push(`selector ${JSON.stringify(selector)}: ${explain(w.selector)}`);
  const labels = fill(w?.labels);
  if (w?.labels) notes.push(`Deployment labels: ${explain(w.labels)}`);
  return {
    placement: {
      namespace,
      podLabels: { ...podLabels, ...selector },
      selector,
      labels,
    },
    notes,
  };
}

const meta = (name: string, p: Placement, labels?: Record<string, string>) => ({
  name,
  ...(p.namespace && { namespace: p.namespace }),
  ...(labels && { labels }),
});

/**
 * The Deployment: the repository's usual pod and container settings
 * (securityContext, resources, pull policy), its port naming, its probe
 * kind (none, tcpSocket or httpGet with its usual path), Recreate for a
 * volume when the repository does that. The notes say where each choice
 * comes from.
 */
export function deployment(
  app: AppSpec,
  w: WorkloadProfile | undefined,
  p: Placement,
) {
  const notes: string[] = [];
  const named = w ? w.containerPortNamed.value : true;
  const portName = w?.portName?.value ?? 'http';
  const port = named ? portName : app.port;
  const probe = w?.probe?.value;
  let handler: Record<string, unknown> | undefined;
  if (probe && probe !== 'none') {
    handler =
      probe.handler === 'httpGet'
        ? { httpGet: { path: probe.path ?? '/', port } }
        : { tcpSocket: { port } };
  }
  if (w?.probe)
    notes.push(
      `probes: ${
        probe === 'none' || !probe ? 'none' : probe.handler
      }, ${explain(w.probe)}`,
    );
  const env = [
    ...(app.timezone ? [{ name: 'TZ', value: app.timezone }] : []),
    ...app.env.map(e => ({ name: e.name, value: e.value })),
  ];
  const container: Record<string, unknown> = {
    name: app.name,
    image: imageString(app.image),
    ...noted(w?.container ?? [], 'container', notes, app.name),
    ports: [
      {
        ...(named && { name: portName }),
        containerPort: app.port,
        ...(w?.containerPortProtocol.value && { protocol: 'TCP' }),
      },
    ],
    ...(env.length > 0 && { env }),
    ...(app.secretName && {
      envFrom: [{ secretRef: { name: app.secretName } }],
    }),
    ...(handler && { readinessProbe: handler, livenessProbe: handler }),
    ...(app.persistence && {
      volumeMounts: [{ name: 'data', mountPath: app.persistence.mountPath }],
    }),
  };
  const recreate = app.persistence && (w?.recreateWithVolume?.value ?? true);
  if (app.persistence && w?.recreateWithVolume)
    notes.push(
      `strategy ${recreate ? 'Recreate' : 'default'} with a volume: ${explain(
        w.recreateWithVolume,
      )}`,
    );
  const spec =
    w && w.workloads > 0
      ? noted(w.deploymentSpec, 'Deployment', notes, app.name)
      : { replicas: 1 };
  const document = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(app.name, p, p.labels),
    spec: {
      ...spec,
      selector: { matchLabels: p.selector },
      ...(recreate && { strategy: { type: 'Recreate' } }),
      template: {
        // Where the kustomization's commonLabels labels the pods, as most apps leave it.
        ...(w?.podLabelsWritten.value === false &&
        w.kustomizationSettings.some(s => s.key === 'commonLabels')
          ? {}
          : { metadata: { labels: p.podLabels } }),
        spec: {
          ...noted(w?.pod ?? [], 'pod', notes, app.name),
          containers: [container],
          ...(app.persistence && {
            volumes: [
              {
                name: 'data',
                persistentVolumeClaim: { claimName: pvcName(app, w) },
              },
            ],
          }),
        },
      },
    },
  };
  return { document, notes };
}

/** The claim name most apps' PVCs have (`<app>`, `<app>-config`). */
export function pvcName(app: AppSpec, w: WorkloadProfile | undefined) {
  return w?.pvcName ? withName(w.pvcName.value, app.name) : app.name;
}

const labelled = (w: WorkloadProfile | undefined, kind: string, p: Placement) =>
  w?.labelled.get(kind)?.value ? p.labels ?? p.podLabels : undefined;

/** The app's Service: its port named and targeted the way most Services do it. */
export function service(
  app: AppSpec,
  w: WorkloadProfile | undefined,
  p: Placement,
) {
  const portName = w?.portName?.value ?? 'http';
  const servicePort = w?.servicePortName?.value ?? portName;
  const named = w ? w.servicePortNamed.value : true;
  const byName = w
    ? w.targetPortByName.value && w.containerPortNamed.value
    : true;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(app.name, p, labelled(w, 'Service', p)),
    spec: {
      ...settingsFor(w?.serviceSpec ?? [], app.name),
      selector: p.selector,
      ports: [
        {
          ...(named && { name: servicePort }),
          port: app.port,
          ...((w?.targetPort.value ?? true) && {
            targetPort: byName ? portName : app.port,
          }),
          ...(w?.servicePortProtocol.value && { protocol: 'TCP' }),
        },
      ],
    },
  };
}

/** The app's volume: the PVC spec settings most PVCs share, its size and storage class. */
export function persistentVolumeClaim(
  app: AppSpec,
  w: WorkloadProfile | undefined,
  p: Placement,
) {
  const notes: string[] = [];
  const shared = noted(
    w?.pvcSpec ?? [],
    'PersistentVolumeClaim',
    notes,
    app.name,
  );
  const document = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: meta(pvcName(app, w), p, labelled(w, 'PersistentVolumeClaim', p)),
    spec: {
      accessModes: ['ReadWriteOnce'],
      ...shared,
      ...(app.persistence!.storageClass && {
        storageClassName: app.persistence!.storageClass,
      }),
      resources: { requests: { storage: app.persistence!.size } },
    },
  };
  return { document, notes };
}

/** The app's HTTPRoute, labelled and with the explicit match when most routes are. */
export function httpRoute(
  app: AppSpec,
  w: WorkloadProfile | undefined,
  p: Placement,
) {
  return buildHttpRoute({
    name: app.name,
    namespace: p.namespace,
    hostnames: [app.hostname!],
    gateway: app.gateway!,
    backend: { name: app.name, port: app.port },
    labels: labelled(w, 'HTTPRoute', p),
    matches: w?.routeMatches ? w.routeMatches.value : true,
  });
}
