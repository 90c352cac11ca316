import { AppsContainer } from '../../profile/layout';
import { RepoProfile } from '../../profile/RepoProfile';
import { explain } from '../../profile/tally';
import { imageComment } from '../../profile/renovate';
import { settingsFor } from '../../profile/settings';
import { imageString } from '../../validation/image';
import { Problems } from '../../validation/problems';
import {
  addProjectDestination,
  applicationFile,
  argoCreatesNamespace,
  argoSetsNamespace,
  projectOf,
  registerFolder,
} from './registration';
import { catalogInfoFile, labelsKubernetesId } from '../catalogInfo';
import {
  externalSecretFileName,
  externalSecretManifest,
} from '../externalSecret';
import {
  deployment,
  httpRoute,
  persistentVolumeClaim,
  placement,
  service,
} from './rawManifests';
import { orderResources } from '../register';
import { renderFile } from '../render';
import { AppPlan, AppSpec, ArgoLayoutConfig, PlannedFile } from '../types';

/** The container a category names: a folder of that name (under the apps folder first), else the apps folder itself. */
function categoryContainer(
  profile: RepoProfile,
  category: string,
  appsPath: string,
) {
  const containers = profile.layout?.containers ?? [];
  const under = containers.filter(
    c => c.path === appsPath || c.path.startsWith(`${appsPath}/`),
  );
  return (
    under.find(c => c.name === category) ??
    containers.find(c => c.name === category) ??
    under.find(
      c => c.path === appsPath && c.registration.kind === 'application-files',
    )
  );
}

/** Whether the namespace exists already: declared, or used by an app of the repository. */
function namespaceExists(profile: RepoProfile, namespace: string) {
  const appDirs = new Set(
    (profile.layout?.apps ?? []).map(a => a.manifestsPath),
  );
  return profile.objects.some(
    o =>
      (o.object.kind === 'Namespace' &&
        o.object.metadata?.name === namespace) ||
      (appDirs.has(o.dir) && o.object.metadata?.namespace === namespace) ||
      (appDirs.has(o.dir) &&
        o.object.kind === 'Kustomization' &&
        o.object.namespace === namespace) ||
      (o.object.kind === 'Application' &&
        o.object.spec?.destination?.namespace === namespace),
  );
}

/**
 * The Argo CD layouts (vehagn/homelab, theepicsaxguy/homelab, app-of-apps):
 * raw manifests in a new app folder of the category's container, written
 * the way the repository's other apps are; registered the way that
 * container's apps reach Argo CD (an ApplicationSet's folder glob, the
 * category kustomization, or an Application manifest per app), with the
 * AppProject's destinations and a Namespace manifest whenever Argo CD would
 * not create the namespace itself.
 */
export async function planArgoApp(
  profile: RepoProfile,
  app: AppSpec,
  config: ArgoLayoutConfig,
  problems: Problems,
): Promise<AppPlan | undefined> {
  const layout = profile.layout!;
  const appsPath = layout.appsPath;
  const category = app.category ?? app.namespace;
  const container = categoryContainer(
    profile,
    category,
    config.appsPath.replace(/\/$/, '') || appsPath,
  );
  if (!container) {
    problems.add(
      'category',
      'argocd-category',
      `there is no category folder "${category}" that Argo CD deploys apps from in ${
        profile.description
      }; use one of: ${layout.containers.map(c => c.name).join(', ')}`,
    );
    return undefined;
  }
  const clash = layout.apps.filter(a => a.name === app.name).map(a => a.path);
  if (profile.files.some(f => f.startsWith(`${container.path}/${app.name}/`)))
    clash.push(`${container.path}/${app.name}`);
  if (clash.length > 0) {
    problems.add(
      'name',
      'app-exists',
      `an app named "${app.name}" already exists in the repository at ${[
        ...new Set(clash),
      ].join(', ')}; pick another name or change that app instead`,
    );
    return undefined;
  }
  const appPath = `${container.path}/${app.name}`;
  const ns = app.namespace;
  const w = profile.workloads;
  const notes: string[] = [
    layout.summary,
    `folder ${container.path}: its apps reach Argo CD ${describe(container)}`,
  ];
  const planned: PlannedFile[] = [];
  const registrations: PlannedFile[] = [];

  let model: Record<string, any> | undefined;
  if (container.registration.kind === 'application-files') {
    const made = applicationFile(
      profile,
      container.registration.siblings,
      app.name,
      appPath,
      ns,
    );
    model = made.model;
    registrations.push(...made.files);
    notes.push(
      `Application manifest: ${explain({
        ...made,
        of: 'sibling Applications',
      })}`,
    );
  } else if (container.registration.kind === 'category-kustomization') {
    registrations.push(
      registerFolder(profile, container.registration.kustomization, app.name),
    );
  }
  const exists = namespaceExists(profile, ns);
  const created = argoCreatesNamespace(container, ns, app.name, model);
  const needNamespace = !exists && !created;

  // Where the namespace of each object comes from, as the repository does it.
  const inKustomization = !!w?.kustomizationNamespace.value;
  const explicit =
    !inKustomization &&
    (w
      ? w.explicitNamespace.value ||
        !argoSetsNamespace(container, ns, app.name, model)
      : true);
  if (w) {
    let where = "from the Application's destination";
    if (inKustomization) where = 'in the kustomization';
    else if (explicit) where = 'on each object';
    notes.push(
      `namespace ${where}: ${explain(
        inKustomization ? w.kustomizationNamespace : w.explicitNamespace,
      )}`,
    );
  }
  const p = placement(app, w, explicit ? ns : undefined, notes);
  const resources: string[] = [];
  const fileName = (kind: string, fallback: string) =>
    w?.fileNames.get(kind)?.value.split('\u0000app\u0000').join(app.name) ??
    fallback;
  const add = (
    kind: string,
    fallback: string,
    object: unknown,
    reason: string,
    edit?: (t: string) => string,
  ) => {
    const name = fileName(kind, fallback);
    let content = renderFile(object, w?.styles.get(kind), { name: app.name });
    if (edit) content = edit(content);
    planned.push({
      path: `${appPath}/${name}`,
      content,
      action: 'create',
      reason,
    });
    resources.push(name);
  };

  if (needNamespace) {
    add(
      'Namespace',
      'ns.yaml',
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
      `the Namespace ${ns}: Argo CD does not create it here (CreateNamespace=true creates only an Application's own destination namespace)`,
    );
  }
  const comment = imageComment(profile.renovate, app.image.repository);
  if (profile.renovate.imageComment)
    notes.push(
      `Renovate comment "${profile.renovate.imageComment.value}": ${explain(
        profile.renovate.imageComment,
      )}`,
    );
  const image = imageString(app.image);
  add(
    'Deployment',
    'deployment.yaml',
    deployment(app, w, p, notes),
    'the Deployment',
    comment
      ? text =>
          text.replace(
            new RegExp(
              `^(\\s*(?:- )?image: )${image.replace(
                /[.*+?^${}()|[\]\\]/g,
                '\\$&',
              )}$`,
              'm',
            ),
            `$1${image} ${comment}`,
          )
      : undefined,
  );
  add('Service', 'svc.yaml', service(app, w, p), 'the Service');
  if (app.persistence)
    add(
      'PersistentVolumeClaim',
      'pvc.yaml',
      persistentVolumeClaim(app, w, p, notes),
      `the volume (${app.persistence.size})`,
    );
  const route = app.hostname && app.gateway ? httpRoute(app, w, p) : undefined;
  if (route)
    add(
      'HTTPRoute',
      'http-route.yaml',
      route,
      `the route https://${app.hostname}`,
    );
  if (app.externalSecret) {
    const name = externalSecretFileName(profile, app.name);
    planned.push({
      path: `${appPath}/${name}`,
      content: renderFile(
        externalSecretManifest(profile, {
          app: app.name,
          namespace: p.namespace,
          key: app.externalSecret.key,
          keys: app.externalSecret.keys ?? [],
        }),
        profile.externalSecrets.style,
        { name: app.name },
      ),
      action: 'create',
      reason: `the ExternalSecret reading "${app.externalSecret.key}" from ${
        profile.secrets.store!.value.kind
      } ${profile.secrets.store!.value.name}`,
    });
    resources.push(name);
  }
  const dot =
    profile.kustomizations.dotSlash.total > 0 &&
    profile.kustomizations.dotSlash.value;
  const ordered = orderResources(
    resources,
    profile.kustomizations.order,
    app.name,
  ).map(r => (dot ? `./${r}` : r));
  planned.push({
    path: `${appPath}/kustomization.yaml`,
    content: renderFile(
      {
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        ...(inKustomization && { namespace: ns }),
        ...settingsFor(w?.kustomizationSettings ?? [], app.name),
        resources: ordered,
      },
      profile.kustomizations.style,
      { name: app.name },
    ),
    action: 'create',
    reason: "lists the app's manifests",
  });
  notes.push(
    `app kustomization lists ${ordered.join(
      ', ',
    )} in the order the other apps' kustomizations use`,
  );

  const project = projectOf(profile, container, model);
  if (project) {
    const updated = addProjectDestination(project.text, ns);
    if (updated !== undefined) {
      registrations.push({
        path: project.path,
        content: updated,
        action: 'update',
        reason: `allows namespace ${ns} in the AppProject ${project.object.metadata?.name}`,
      });
    }
  }
  planned.push(...registrations);
  planned.push({
    path: `${appPath}/catalog-info.yaml`,
    content: catalogInfoFile(
      app,
      appPath,
      labelsKubernetesId(p.podLabels, app.name) ? 'kubernetes-id' : p.selector,
    ),
    action: 'create',
    reason:
      "the app's catalog entry (not applied: the kustomization does not list it)",
  });
  if (!exists) {
    notes.push(
      needNamespace
        ? `new namespace ${ns}: a Namespace manifest, since Argo CD would not create it`
        : `new namespace ${ns}: created by Argo CD (CreateNamespace=true, the Application's destination)`,
    );
  }
  return {
    layout: 'argocd',
    appPath,
    kustomizationPath: `${appPath}/kustomization.yaml`,
    manifestsPath: appPath,
    files: planned,
    namespaceCreated: !exists,
    catalogInfoPath: `${appPath}/catalog-info.yaml`,
    route: route && {
      ...route,
      metadata: { ...route.metadata, namespace: ns },
    },
    notes,
  };
}

function describe(c: AppsContainer) {
  switch (c.registration.kind) {
    case 'appset':
      return `through the ApplicationSet ${c.registration.appset.object.metadata?.name} (one Application per folder)`;
    case 'category-kustomization':
      return `through ${c.registration.kustomization}, which lists the app folders`;
    case 'application-files':
      return 'through one Application manifest each';
    default:
      return '';
  }
}
