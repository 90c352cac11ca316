import { toError } from '@backstage/errors';
import { AppsContainer } from '../../profile/layout';
import { RepoProfile } from '../../profile/RepoProfile';
import { explain, Tally } from '../../profile/tally';
import { buildHttpRoute } from '../../route/httpRoute';
import { Problems } from '../../validation/problems';
import { appTemplateRelease, ociRepository } from './helmRelease';
import { catalogInfoFile, labelsKubernetesId } from '../catalogInfo';
import {
  externalSecretFileName,
  externalSecretManifest,
} from '../externalSecret';
import { fluxKustomization } from './fluxKustomization';
import { KS_ENTRY, newNamespaceFolder } from './namespaceFolder';
import { orderResources, registerEntry } from '../register';
import { renderFile, sortKeys } from '../render';
import {
  AppPlan,
  AppSpec,
  FluxLayoutConfig,
  PlannedFile,
  SCHEMAS,
} from '../types';
import { editYaml, rootSeq } from '../yamlFiles';

/** The folder of an app's manifests under its app folder, as most apps name it (`app`). */
function manifestsFolder(profile: RepoProfile) {
  const apps = profile.layout?.apps ?? [];
  return (
    new Tally(
      apps
        .filter(a => a.manifestsPath.startsWith(`${a.path}/`))
        .map(a => a.manifestsPath.slice(a.path.length + 1)),
    ).mostCommon('apps')?.value ?? 'app'
  );
}

/** The namespace folder of a namespace: named after it, or whose kustomization sets it. */
function namespaceContainer(
  profile: RepoProfile,
  namespace: string,
): AppsContainer | undefined {
  const containers = profile.layout?.containers ?? [];
  return (
    containers.find(c => c.name === namespace) ??
    containers.find(c => {
      const k =
        c.registration.kind === 'flux-namespace'
          ? c.registration.kustomization
          : undefined;
      return (
        k &&
        profile.objects.some(
          o => o.path === k && o.object.namespace === namespace,
        )
      );
    })
  );
}

/**
 * The Flux "home-ops" layout (onedr0p/home-ops, bjw-s-labs/home-ops,
 * onedr0p/cluster-template): <apps>/<namespace>/<app>/ks.yaml + app/ with
 * the app-template HelmRelease (its source as most releases have it: a
 * per-app OCIRepository or the shared HelmRepository), registered in the
 * namespace folder. Everything else is what the repository's profile says.
 */
export async function planFluxApp(
  profile: RepoProfile,
  app: AppSpec,
  config: FluxLayoutConfig,
  problems: Problems,
): Promise<AppPlan | undefined> {
  const layout = profile.layout!;
  const appsPath = layout.appsPath;
  const clash = layout.apps.filter(a => a.name === app.name);
  const folders = layout.containers.filter(c =>
    profile.files.some(f => f.startsWith(`${c.path}/${app.name}/`)),
  );
  if (clash.length > 0 || folders.length > 0) {
    problems.add(
      'name',
      'app-exists',
      `an app named "${app.name}" already exists in the repository at ${[
        ...new Set([
          ...clash.map(a => a.path),
          ...folders.map(c => `${c.path}/${app.name}`),
        ]),
      ].join(', ')}; pick another name or change that app instead`,
    );
    return undefined;
  }
  const at = profile.appTemplate;
  const chartName = config.chartUrl.slice(config.chartUrl.lastIndexOf('/') + 1);
  const version = at?.version?.value ?? config.defaultChartVersion;
  if (!version) {
    problems.add(
      'repoUrl',
      'chart-version',
      `no app in ${profile.description} uses ${config.chartUrl} yet, and homelab.gitops.flux.defaultChartVersion is not set; set it so the new app gets a known chart version`,
    );
    return undefined;
  }
  const source = at?.source?.value ?? 'oci';
  if (source === 'helm' && !at?.helmSourceRef) {
    problems.add(
      'repoUrl',
      'chart-source',
      `the ${chartName} releases of ${profile.description} name no HelmRepository to copy`,
    );
    return undefined;
  }
  const notes: string[] = [layout.summary];
  if (at?.version)
    notes.push(
      `${chartName} ${version}: the version most ${chartName} releases use (${explain(
        at.version,
      )})`,
    );
  if (at?.source)
    notes.push(
      `chart from ${
        source === 'oci'
          ? 'a per-app OCIRepository'
          : `the HelmRepository ${at.helmSourceRef!.value.name}`
      }: ${explain(at.source)}`,
    );
  if (at)
    notes.push(
      `conventions read from the ${at.releases.length} ${chartName} releases only (of ${at.allReleases} HelmReleases)`,
    );

  const container = namespaceContainer(profile, app.namespace);
  const nsPath = container?.path ?? `${appsPath}/${app.namespace}`;
  const appPath = `${nsPath}/${app.name}`;
  const manifestsPath = `${appPath}/${manifestsFolder(profile)}`;
  const volume = app.persistence ? at?.volume?.value : undefined;
  const planned: PlannedFile[] = [];
  const resources: string[] = [];
  const add = (file: string, content: string, reason: string) => {
    planned.push({
      path: `${manifestsPath}/${file}`,
      content,
      action: 'create',
      reason,
    });
    resources.push(file);
  };

  const ks = fluxKustomization(
    app,
    manifestsPath,
    profile.fluxKs,
    at?.volume?.value,
    notes,
  );
  const release = appTemplateRelease(
    app,
    at,
    { source, version, chartName },
    notes,
  );
  const baseline = {
    ...release,
    spec: sortKeys(
      {
        ...release.spec,
        values: sortKeys(release.spec.values, ['defaultPodOptions']),
      },
      ['chartRef', 'chart', 'interval'],
    ),
  };
  const controller = baseline.spec.values.controllers[app.name];
  controller.containers.app = sortKeys(controller.containers.app, ['image']);
  add(
    'helmrelease.yaml',
    renderFile(baseline, at?.helmReleaseStyle, {
      name: app.name,
      schema: SCHEMAS.helmrelease,
    }),
    `the HelmRelease (${chartName} ${version})`,
  );
  if (source === 'oci') {
    add(
      'ocirepository.yaml',
      renderFile(
        ociRepository(app, at, version, config.chartUrl),
        at?.ociRepositoryStyle,
        {
          name: app.name,
          schema: SCHEMAS.ocirepository,
        },
      ),
      `the chart source (${chartName} ${version})`,
    );
  }
  if (volume?.kind === 'pvc-file') {
    add(
      volume.fileName,
      renderFile(
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: {
            name: release.spec.values.persistence[
              Object.keys(release.spec.values.persistence)[0]
            ].existingClaim,
          },
          spec: {
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: app.persistence!.size } },
            ...(app.persistence!.storageClass && {
              storageClassName: app.persistence!.storageClass,
            }),
          },
        },
        undefined,
      ),
      `the volume (${app.persistence!.size})`,
    );
  }
  if (app.externalSecret) {
    add(
      externalSecretFileName(profile, app.name),
      renderFile(
        externalSecretManifest(profile, {
          app: app.name,
          key: app.externalSecret.key,
          keys: app.externalSecret.keys ?? [],
        }),
        profile.externalSecrets.style,
        { name: app.name },
      ),
      `the ExternalSecret reading "${app.externalSecret.key}" from ${
        profile.secrets.store!.value.kind
      } ${profile.secrets.store!.value.name}`,
    );
  }
  const dot =
    profile.kustomizations.dotSlash.total === 0 ||
    profile.kustomizations.dotSlash.value;
  const ordered = orderResources(
    resources,
    profile.kustomizations.order,
    app.name,
  ).map(r => (dot ? `./${r}` : r));
  notes.push(
    `app kustomization lists ${ordered.join(
      ', ',
    )} in the order the other apps' kustomizations use`,
  );
  planned.push({
    path: `${manifestsPath}/kustomization.yaml`,
    content: renderFile(
      {
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: ordered,
      },
      profile.kustomizations.style,
      { name: app.name, schema: SCHEMAS.kustomization },
    ),
    action: 'create',
    reason: "lists the app's manifests",
  });
  planned.unshift({
    path: `${appPath}/ks.yaml`,
    content: renderFile(ks, profile.fluxKs?.style, {
      name: app.name,
      schema: SCHEMAS.fluxKustomization,
    }),
    action: 'create',
    reason: 'the Flux Kustomization of the app',
  });

  const registration =
    container?.registration.kind === 'flux-namespace'
      ? container.registration.kustomization
      : undefined;
  let namespaceCreated = false;
  if (registration) {
    const text = profile.objects.find(o => o.path === registration)?.text ?? '';
    try {
      planned.push({
        path: registration,
        content: editYaml(text, doc => {
          registerEntry(rootSeq(doc, 'resources'), `./${app.name}/ks.yaml`, v =>
            KS_ENTRY.test(v),
          );
        }),
        action: 'update',
        reason: `registers ./${app.name}/ks.yaml`,
      });
    } catch (error) {
      problems.add(
        'namespace',
        'namespace-kustomization',
        `${registration} cannot be edited: ${toError(error).message}`,
      );
      return undefined;
    }
  } else {
    namespaceCreated = true;
    planned.push(
      ...(await newNamespaceFolder(profile, appsPath, app.namespace, app.name)),
    );
    const top = profile.files.find(f => f === `${appsPath}/kustomization.yaml`);
    if (top) {
      planned.push({
        path: top,
        content: editYaml(
          profile.objects.find(o => o.path === top)?.text ?? '',
          doc => {
            registerEntry(rootSeq(doc, 'resources'), `./${app.namespace}`, v =>
              /^\.\/[^/.]+\/?$/.test(v),
            );
          },
        ),
        action: 'update',
        reason: `registers the namespace folder ./${app.namespace}`,
      });
    }
  }
  planned.push({
    path: `${appPath}/catalog-info.yaml`,
    content: catalogInfoFile(
      app,
      appPath,
      labelsKubernetesId(release.spec.values, app.name)
        ? 'kubernetes-id'
        : { 'app.kubernetes.io/instance': app.name },
    ),
    action: 'create',
    reason:
      "the app's catalog entry (not applied: outside the Kustomization's path)",
  });

  return {
    layout: 'flux',
    appPath,
    kustomizationPath: `${manifestsPath}/kustomization.yaml`,
    manifestsPath,
    files: planned,
    namespaceCreated,
    chartVersion: version,
    catalogInfoPath: `${appPath}/catalog-info.yaml`,
    // app-template renders this from route.app with one Service (its _autoDetectService).
    route:
      app.hostname && app.gateway
        ? buildHttpRoute({
            name: app.name,
            namespace: app.namespace,
            hostnames: [app.hostname],
            gateway: app.gateway,
            backend: { name: app.name, port: app.port },
          })
        : undefined,
    notes,
  };
}
