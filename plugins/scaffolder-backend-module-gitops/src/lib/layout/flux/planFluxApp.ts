import { toError } from '@backstage/errors';
import { withName } from '../../profile/normalize';
import { RepoProfile } from '../../profile/RepoProfile';
import { buildHttpRoute } from '../../route/httpRoute';
import { Problems } from '../../validation/problems';
import {
  appKustomization,
  listedNote,
  listedResources,
} from '../appKustomization';
import { catalogInfoFile, labelsKubernetesId } from '../catalogInfo';
import { externalSecretFile } from '../externalSecret';
import { renderFile } from '../render';
import {
  AppPlan,
  AppSpec,
  FluxLayoutConfig,
  PlannedFile,
  SCHEMAS,
} from '../types';
import { chartNotes } from './chart';
import { FluxFacts, readFluxFacts } from './facts';
import { fluxKustomization } from './fluxKustomization';
import { helmRelease } from './helmRelease';
import { newNamespaceFolder } from './namespaceFolder';
import { ociRepository } from './ociRepository';
import { registerKs, registerNamespaceFolder } from './registration';
import { volumeClaim } from './volumeClaim';

/** A file of the app's manifests folder, listed by its kustomization. */
type Manifest = { file: string; content: string; reason: string };

const created = (path: string, content: string, reason: string) =>
  ({ path, content, action: 'create', reason } as PlannedFile);

/**
 * The Flux "home-ops" layout (onedr0p/home-ops, bjw-s-labs/home-ops,
 * onedr0p/cluster-template): <apps>/<namespace>/<app>/ks.yaml + app/ with
 * the app-template HelmRelease (its source as most releases have it: a
 * per-app OCIRepository or the shared HelmRepository), registered in the
 * namespace folder. Everything else is what the repository's profile says.
 */
export function planFluxApp(
  profile: RepoProfile,
  app: AppSpec,
  config: FluxLayoutConfig,
  problems: Problems,
): AppPlan | undefined {
  const facts = readFluxFacts(profile, app, config, problems);
  if (!facts) return undefined;
  const { appPath, manifestsPath, chart } = facts;
  const at = profile.appTemplate;
  const ks = fluxKustomization(
    app,
    manifestsPath,
    profile.fluxKs,
    at?.volume?.value,
  );
  const release = helmRelease(app, at, chart);
  const manifests = manifestFiles(profile, app, facts, release.document);
  const listed = listedResources(
    manifests.map(m => m.file),
    profile.kustomizations.order,
    app.name,
    facts.dotSlash,
  );
  const registrations = registrationFiles(app, facts, problems);
  if (!registrations) return undefined;

  return {
    layout: 'flux',
    appPath,
    kustomizationPath: `${manifestsPath}/kustomization.yaml`,
    manifestsPath,
    files: [
      created(
        `${appPath}/ks.yaml`,
        renderFile(ks.document, profile.fluxKs?.style, {
          name: app.name,
          schema: SCHEMAS.fluxKustomization,
        }),
        'the Flux Kustomization of the app',
      ),
      ...manifests.map(m =>
        created(`${manifestsPath}/${m.file}`, m.content, m.reason),
      ),
      created(
        `${manifestsPath}/kustomization.yaml`,
        renderFile(appKustomization(listed), profile.kustomizations.style, {
          name: app.name,
          schema: SCHEMAS.kustomization,
        }),
        "lists the app's manifests",
      ),
      ...registrations.files,
      created(
        `${appPath}/catalog-info.yaml`,
        catalogInfoFile(
          app,
          appPath,
          labelsKubernetesId(release.document.spec.values, app.name)
            ? 'kubernetes-id'
            : { 'app.kubernetes.io/instance': app.name },
        ),
        "the app's catalog entry (not applied: outside the Kustomization's path)",
      ),
    ],
    namespaceCreated: registrations.namespaceCreated,
    chartVersion: chart.version,
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
    notes: [
      profile.layout!.summary,
      ...chartNotes(chart, at),
      ...ks.notes,
      ...release.notes,
      listedNote(listed),
    ],
  };
}

/** The manifests folder's files: the HelmRelease, its chart source, the volume's PVC, the ExternalSecret. */
function manifestFiles(
  profile: RepoProfile,
  app: AppSpec,
  { chart }: FluxFacts,
  release: ReturnType<typeof helmRelease>['document'],
): Manifest[] {
  const at = profile.appTemplate;
  const volume = app.persistence ? at?.volume?.value : undefined;
  const out: Manifest[] = [
    {
      file: 'helmrelease.yaml',
      content: renderFile(release, at?.helmReleaseStyle, {
        name: app.name,
        schema: SCHEMAS.helmrelease,
      }),
      reason: `the HelmRelease (${chart.name} ${chart.version})`,
    },
  ];
  if (chart.source === 'oci') {
    out.push({
      file: 'ocirepository.yaml',
      content: renderFile(
        ociRepository(app, at, chart.version, chart.url),
        at?.ociRepositoryStyle,
        { name: app.name, schema: SCHEMAS.ocirepository },
      ),
      reason: `the chart source (${chart.name} ${chart.version})`,
    });
  }
  if (volume?.kind === 'pvc-file') {
    out.push({
      file: volume.fileName,
      // The claim the release's persistence entry names (existingClaim).
      content: renderFile(
        volumeClaim(withName(volume.claim, app.name), app.persistence!),
        undefined,
      ),
      reason: `the volume (${app.persistence!.size})`,
    });
  }
  if (app.externalSecret) {
    out.push(externalSecretFile(profile, app.name, app.externalSecret));
  }
  return out;
}

/**
 * Where Flux learns of the app: its ks.yaml listed in the namespace
 * folder's kustomization, or a new namespace folder (listed in the apps
 * folder's kustomization when there is one). Undefined, with the problem,
 * when the namespace folder's kustomization cannot be edited.
 */
function registrationFiles(
  app: AppSpec,
  facts: FluxFacts,
  problems: Problems,
): { files: PlannedFile[]; namespaceCreated: boolean } | undefined {
  const existing = facts.namespaceKustomization;
  if (existing) {
    try {
      return {
        files: [
          {
            path: existing.path,
            content: registerKs(existing.text, app.name),
            action: 'update',
            reason: `registers ./${app.name}/ks.yaml`,
          },
        ],
        namespaceCreated: false,
      };
    } catch (error) {
      problems.add(
        'namespace',
        'namespace-kustomization',
        `${existing.path} cannot be edited: ${toError(error).message}`,
      );
      return undefined;
    }
  }
  const { folder, model, appsKustomization } = facts.newNamespace!;
  const files = newNamespaceFolder(folder, app.namespace, app.name, model);
  if (appsKustomization) {
    files.push({
      path: appsKustomization.path,
      content: registerNamespaceFolder(appsKustomization.text, app.namespace),
      action: 'update',
      reason: `registers the namespace folder ./${app.namespace}`,
    });
  }
  return { files, namespaceCreated: true };
}
