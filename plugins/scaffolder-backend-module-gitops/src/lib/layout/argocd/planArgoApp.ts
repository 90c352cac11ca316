import { withName } from '../../profile/normalize';
import { imageComment } from '../../profile/renovate';
import { RepoProfile } from '../../profile/RepoProfile';
import { settingsFor } from '../../profile/settings';
import { explain } from '../../profile/tally';
import { imageString } from '../../validation/image';
import { Problems } from '../../validation/problems';
import {
  appKustomization,
  listedNote,
  listedResources,
} from '../appKustomization';
import { catalogInfoFile, labelsKubernetesId } from '../catalogInfo';
import { externalSecretFile } from '../externalSecret';
import { renderFile } from '../render';
import { AppPlan, AppSpec, ArgoLayoutConfig, PlannedFile } from '../types';
import { appManifests, Manifest } from './appManifests';
import { addProjectDestination } from './appProject';
import { argoApplication } from './application';
import {
  argoCreatesNamespace,
  argoSetsNamespace,
  describeDeployer,
  projectName,
} from './deployer';
import { ArgoFacts, readArgoFacts } from './facts';
import { namespaceSource } from './namespaceSource';
import { placement } from './rawManifests';
import { registerApplication, registerFolder } from './registration';
import { withRenovateComment } from './renovateComment';

const created = (path: string, content: string, reason: string) =>
  ({ path, content, action: 'create', reason } as PlannedFile);

/**
 * The Argo CD layouts (vehagn/homelab, theepicsaxguy/homelab, app-of-apps):
 * raw manifests in a new app folder of the category's container, written
 * the way the repository's other apps are; registered the way that
 * container's apps reach Argo CD (an ApplicationSet's folder glob, the
 * category kustomization, or an Application manifest per app), with the
 * AppProject's destinations and a Namespace manifest whenever Argo CD would
 * not create the namespace itself.
 */
export function planArgoApp(
  profile: RepoProfile,
  app: AppSpec,
  config: ArgoLayoutConfig,
  problems: Problems,
): AppPlan | undefined {
  const facts = readArgoFacts(profile, app, config, problems);
  if (!facts) return undefined;
  const { container, appPath } = facts;
  const ns = app.namespace;
  const w = profile.workloads;
  const registration = registrationFiles(app, facts);
  const model = registration.application;
  const needNamespace =
    !facts.namespaceExists &&
    !argoCreatesNamespace(container, ns, app.name, model);
  const source = namespaceSource(
    w,
    argoSetsNamespace(container, ns, app.name, model),
  );
  const placed = placement(app, w, source.explicit ? ns : undefined);
  const p = placed.placement;
  const built = appManifests(app, w, p, needNamespace ? ns : undefined);
  const manifests = built.manifests.map(m => manifestFile(m, profile, app));
  if (app.externalSecret) {
    manifests.push(
      externalSecretFile(profile, app.name, app.externalSecret, p.namespace),
    );
  }
  const listed = listedResources(
    manifests.map(m => m.file),
    profile.kustomizations.order,
    app.name,
    facts.dotSlash,
  );
  const route = built.manifests.find(m => m.kind === 'HTTPRoute')?.document;

  return {
    layout: 'argocd',
    appPath,
    kustomizationPath: `${appPath}/kustomization.yaml`,
    manifestsPath: appPath,
    files: [
      ...manifests.map(m =>
        created(`${appPath}/${m.file}`, m.content, m.reason),
      ),
      created(
        `${appPath}/kustomization.yaml`,
        renderFile(
          appKustomization(listed, {
            ...(source.inKustomization && { namespace: ns }),
            ...settingsFor(w?.kustomizationSettings ?? [], app.name),
          }),
          profile.kustomizations.style,
          { name: app.name },
        ),
        "lists the app's manifests",
      ),
      ...registration.files,
      ...projectUpdate(facts, model, ns),
      created(
        `${appPath}/catalog-info.yaml`,
        catalogInfoFile(
          app,
          appPath,
          labelsKubernetesId(p.podLabels, app.name)
            ? 'kubernetes-id'
            : p.selector,
        ),
        "the app's catalog entry (not applied: the kustomization does not list it)",
      ),
    ],
    namespaceCreated: !facts.namespaceExists,
    catalogInfoPath: `${appPath}/catalog-info.yaml`,
    route: route && {
      ...route,
      metadata: { ...route.metadata, namespace: ns },
    },
    notes: [
      profile.layout!.summary,
      `folder ${container.path}: its apps reach Argo CD ${describeDeployer(
        container,
      )}`,
      ...registration.notes,
      ...source.notes,
      ...placed.notes,
      ...(profile.renovate.imageComment
        ? [
            `Renovate comment "${
              profile.renovate.imageComment.value
            }": ${explain(profile.renovate.imageComment)}`,
          ]
        : []),
      ...built.notes,
      listedNote(listed),
      ...(facts.namespaceExists ? [] : [newNamespaceNote(ns, needNamespace)]),
    ],
  };
}

/**
 * A manifest in the file the repository names that kind's files, in its
 * style; the Deployment with the Renovate comment most images have.
 */
function manifestFile(m: Manifest, profile: RepoProfile, app: AppSpec) {
  const w = profile.workloads;
  const named = w?.fileNames.get(m.kind)?.value;
  const content = renderFile(m.document, w?.styles.get(m.kind), {
    name: app.name,
  });
  const comment = imageComment(profile.renovate, app.image.repository);
  return {
    file: named !== undefined ? withName(named, app.name) : m.fallbackFile,
    content:
      comment && m.kind === 'Deployment'
        ? withRenovateComment(content, imageString(app.image), comment)
        : content,
    reason: m.reason,
  };
}

/**
 * How the container's apps reach Argo CD, for the new one: its own
 * Application manifest (listed with its siblings'), or its folder in the
 * category kustomization; nothing to edit when an ApplicationSet finds
 * every folder.
 */
function registrationFiles(
  app: AppSpec,
  facts: ArgoFacts,
): {
  files: PlannedFile[];
  application?: Record<string, any>;
  notes: string[];
} {
  if (facts.applications) {
    const { siblings, list } = facts.applications;
    const made = argoApplication(
      siblings,
      app.name,
      facts.appPath,
      app.namespace,
    );
    return {
      files: [
        created(
          made.path,
          renderFile(made.document, made.style, { name: app.name }),
          `the Argo CD Application, like ${made.count} of ${made.total} sibling Applications`,
        ),
        ...(list ? [registerApplication(list, made.fileName)] : []),
      ],
      application: made.document,
      notes: [
        `Application manifest: ${explain({
          ...made,
          of: 'sibling Applications',
        })}`,
      ],
    };
  }
  if (facts.folderList) {
    const { path, text } = facts.folderList;
    return { files: [registerFolder(path, text, app.name)], notes: [] };
  }
  return { files: [], notes: [] };
}

/** The AppProject the app syncs through, allowing its namespace when it lists namespaces. */
function projectUpdate(
  { projects, container }: ArgoFacts,
  model: Record<string, any> | undefined,
  ns: string,
): PlannedFile[] {
  const name = projectName(container, model);
  const project = projects.find(o => o.object.metadata?.name === name);
  const updated = project && addProjectDestination(project.text, ns);
  if (updated === undefined) return [];
  return [
    {
      path: project!.path,
      content: updated,
      action: 'update',
      reason: `allows namespace ${ns} in the AppProject ${name}`,
    },
  ];
}

/** Who makes the new namespace, for the plan's notes. */
function newNamespaceNote(ns: string, manifest: boolean) {
  return manifest
    ? `new namespace ${ns}: a Namespace manifest, since Argo CD would not create it`
    : `new namespace ${ns}: created by Argo CD (CreateNamespace=true, the Application's destination)`;
}
