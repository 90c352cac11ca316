import { AppTemplateProfile, VolumePattern } from '../../profile/appTemplate';
import { withName } from '../../profile/normalize';
import { Setting, settingsFor } from '../../profile/settings';
import { explain } from '../../profile/tally';
import { appTemplateTag } from '../../validation/image';
import { sortKeys } from '../render';
import { AppSpec } from '../types';
import { FluxChart } from './chart';

const VOLUME_WORDS: Record<
  VolumePattern['kind'],
  (v: VolumePattern) => string
> = {
  component: v =>
    `existingClaim of the ${(v as { component: string }).component} Component`,
  'pvc-file': () => 'existingClaim of a PVC manifest',
  chart: () => 'a chart-made PVC',
};

function noted(
  settings: Setting[],
  where: string,
  notes: string[],
  name: string,
) {
  for (const s of settings) notes.push(`${where}${s.note}`);
  return settingsFor(settings, name);
}

/** The enabled probes most releases have (`liveness`, `readiness`, …), without app-specific checks. */
function probes(profile: AppTemplateProfile | undefined) {
  const setting = profile?.container.find(s => s.key === 'probes');
  if (!setting || typeof setting.value !== 'object') return undefined;
  const out: Record<string, { enabled: boolean }> = {};
  for (const [kind, p] of Object.entries<any>(setting.value as object)) {
    if (p?.enabled === true) out[kind] = { enabled: true };
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The values the app's persistence entry gets, per the repository's volume pattern. */
function persistence(app: AppSpec, profile: AppTemplateProfile | undefined) {
  const p = app.persistence!;
  const pattern = profile?.volume?.value;
  const mounts = { globalMounts: [{ path: p.mountPath }] };
  if (pattern && pattern.kind !== 'chart') {
    return {
      [withName(pattern.entry, app.name)]: {
        existingClaim: withName(pattern.claim, app.name),
        ...mounts,
      },
    };
  }
  return {
    [pattern ? withName(pattern.entry, app.name) : 'data']: {
      type: 'persistentVolumeClaim',
      accessMode: 'ReadWriteOnce',
      size: p.size,
      ...(p.storageClass && { storageClass: p.storageClass }),
      ...mounts,
    },
  };
}

/**
 * The HelmRelease of a new app-template app: what most app-template
 * releases of the repository share (spec settings, top-level values, the
 * main controller's and container's settings, probes, volume pattern,
 * route rules), plus this app's image, env, Secret, port, route and volume;
 * its keys in the home-ops order. The notes say where each shared setting
 * comes from.
 */
export function helmRelease(
  app: AppSpec,
  profile: AppTemplateProfile | undefined,
  chart: FluxChart,
) {
  const notes: string[] = [];
  const release = appTemplateRelease(app, profile, chart, notes);
  return { document: homeOpsOrder(release, app.name), notes };
}

/**
 * Keys sorted the way home-ops repositories keep them (their sorting
 * rules): chartRef/chart and interval first in the spec, defaultPodOptions
 * first in the values, image first in the container.
 */
function homeOpsOrder(
  release: ReturnType<typeof appTemplateRelease>,
  name: string,
) {
  const sorted = {
    ...release,
    spec: sortKeys(
      {
        ...release.spec,
        values: sortKeys(release.spec.values, ['defaultPodOptions']),
      },
      ['chartRef', 'chart', 'interval'],
    ),
  };
  const controller = sorted.spec.values.controllers[name];
  controller.containers.app = sortKeys(controller.containers.app, ['image']);
  return sorted;
}

function appTemplateRelease(
  app: AppSpec,
  profile: AppTemplateProfile | undefined,
  chart: FluxChart,
  notes: string[],
) {
  const name = app.name;
  const env: Record<string, string> = {};
  if (app.timezone) env.TZ = app.timezone;
  for (const e of app.env) env[e.name] = e.value;
  const containerShared = noted(
    (profile?.container ?? []).filter(s => s.key !== 'probes'),
    'container ',
    notes,
    name,
  );
  const enabled = probes(profile);
  if (enabled) {
    notes.push(
      `container probes (${Object.keys(enabled).join(', ')} enabled): ${
        profile!.container.find(s => s.key === 'probes')!.note
      }`,
    );
  }
  const container = {
    image: { repository: app.image.repository, tag: appTemplateTag(app.image) },
    ...(Object.keys(env).length > 0 && { env }),
    ...(app.secretName && {
      envFrom: [{ secretRef: { name: app.secretName } }],
    }),
    ...(enabled && { probes: enabled }),
    ...containerShared,
  };
  const controller = {
    ...noted(profile?.controller ?? [], 'controller ', notes, name),
    containers: { app: container },
  };
  const values: Record<string, any> = {
    ...noted(profile?.values ?? [], 'values ', notes, name),
    controllers: { [name]: controller },
    service: { app: { ports: { http: { port: app.port } } } },
  };
  if (app.hostname && app.gateway) {
    const rules = profile?.routeRules?.value === true;
    if (profile?.routeRules) {
      notes.push(
        `route ${rules ? 'with' : 'without'} rules/backendRefs: ${explain(
          profile.routeRules,
        )}`,
      );
    }
    values.route = {
      app: {
        hostnames: [app.hostname],
        parentRefs: [
          {
            name: app.gateway.name,
            namespace: app.gateway.namespace,
            ...(app.gateway.sectionName && {
              sectionName: app.gateway.sectionName,
            }),
          },
        ],
        ...(rules && {
          rules: [{ backendRefs: [{ identifier: 'app', port: app.port }] }],
        }),
      },
    };
  }
  if (app.persistence) {
    values.persistence = persistence(app, profile);
    if (profile?.volume) {
      notes.push(
        `volume as ${VOLUME_WORDS[profile.volume.value.kind](
          profile.volume.value,
        )}: ${explain(profile.volume)}`,
      );
    }
  }
  const source =
    chart.source === 'oci'
      ? { chartRef: { kind: 'OCIRepository', name } }
      : {
          chart: {
            spec: {
              chart: chart.name,
              version: chart.version,
              sourceRef: profile?.helmSourceRef?.value,
            },
          },
        };
  return {
    apiVersion: profile?.apiVersion.helmRelease ?? 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name },
    spec: {
      ...source,
      // Required by the CRD: a repository with too few releases to show a
      // shared interval still gets one, and a shared one replaces it.
      interval: '1h',
      ...noted(profile?.spec ?? [], 'HelmRelease ', notes, name),
      values,
    },
  };
}
