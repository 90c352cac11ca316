import {
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  Scalar,
  stringify,
  YAMLMap,
  YAMLSeq,
} from 'yaml';
import { Problems } from '../validation/problems';
import { imageString } from '../validation/image';
import { childDirectories, RepoSnapshot } from '../repo/RepoSnapshot';
import { buildHttpRoute } from '../route/httpRoute';
import { catalogInfoFile, labelsKubernetesId } from './catalogInfo';
import { conventions, readObjects, schemaFor } from './repoStyle';
import { AppPlan, AppSpec, ArgoLayoutConfig, PlannedFile } from './types';
import { editYaml, insertSorted, rootSeq, STRINGIFY } from './yamlFiles';

/**
 * The Argo CD layout (vehagn/homelab, theepicsaxguy/homelab): raw manifests
 * in k8s/apps/<category>/<app>/ with explicit namespaces, one Application per
 * app folder from the category's ApplicationSet. Registration = the category
 * AppProject's destinations (when it lists namespaces) and the category
 * kustomization (when it lists app folders).
 */
export async function planArgoApp(
  repo: RepoSnapshot,
  app: AppSpec,
  config: ArgoLayoutConfig,
  problems: Problems,
): Promise<AppPlan | undefined> {
  const files = await repo.files();
  const appsPath = config.appsPath.replace(/\/$/, '');
  const categories = childDirectories(files, appsPath);
  const category = app.category ?? app.namespace;
  if (!categories.includes(category)) {
    problems.add(
      'category',
      'argocd-category',
      `there is no category folder ${appsPath}/${category}; use one of: ${categories.join(
        ', ',
      )}`,
    );
    return undefined;
  }
  // Application names come from the folder name: they must be unique repo-wide.
  const clash = categories.filter(c =>
    files.some(f => f.startsWith(`${appsPath}/${c}/${app.name}/`)),
  );
  if (clash.length > 0) {
    problems.add(
      'name',
      'app-exists',
      `an app named "${app.name}" already exists in the repository at ${clash
        .map(c => `${appsPath}/${c}/${app.name}`)
        .join(', ')}; pick another name or change that app instead`,
    );
    return undefined;
  }
  const categoryPath = `${appsPath}/${category}`;
  const appPath = `${categoryPath}/${app.name}`;
  const manifests = files.filter(
    f => f.startsWith(`${appsPath}/`) && /\.ya?ml$/.test(f),
  );
  const objects = await readObjects(repo, manifests);

  const style = repoStyle(objects.map(o => o.text));
  // Pod labels the repo's other workloads share (e.g. backstage.io/kubernetes-id).
  const workloads = objects.filter(o =>
    ['Deployment', 'StatefulSet'].includes(o.object.kind),
  );
  const labels: Record<string, string> = {
    'app.kubernetes.io/name': app.name,
    'app.kubernetes.io/instance': app.name,
    ...(conventions(
      workloads.map(w => ({
        value: w.object.spec?.template?.metadata?.labels,
        name: w.path.split('/').slice(-2, -1)[0],
      })),
      app.name,
      ['app', 'app.kubernetes.io/name', 'app.kubernetes.io/instance'],
    ) as Record<string, string>),
  };
  const ns = app.namespace;
  const resources: string[] = [];
  const planned: PlannedFile[] = [];
  const add = (
    name: string,
    object: Record<string, unknown>,
    edit?: (text: string) => string,
  ) => {
    let content = style.prefix + stringifyManifest(object);
    if (edit) content = edit(content);
    planned.push({ path: `${appPath}/${name}`, content, action: 'create' });
    resources.push(name);
  };

  // A Namespace manifest only where the repo declares namespaces itself
  // (vehagn's ns.yaml); not when Argo CD creates them (CreateNamespace=true).
  const namespaceDeclared = objects.some(
    o => o.object.kind === 'Namespace' && o.object.metadata?.name === ns,
  );
  const declaresNamespaces = objects.some(o => o.object.kind === 'Namespace');
  const argoCreatesNamespace = objects.some(
    o =>
      o.path.startsWith(`${categoryPath}/`) &&
      o.object.kind === 'ApplicationSet' &&
      JSON.stringify(
        o.object.spec?.template?.spec?.syncPolicy?.syncOptions ?? [],
      ).includes('CreateNamespace=true'),
  );
  const namespaceCreated =
    !namespaceDeclared &&
    !objects.some(o => o.object.metadata?.namespace === ns);
  if (!namespaceDeclared && declaresNamespaces && !argoCreatesNamespace) {
    add('ns.yaml', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns },
    });
  }

  const container: Record<string, unknown> = {
    name: app.name,
    image: imageString(app.image),
    ports: [{ name: 'http', containerPort: app.port, protocol: 'TCP' }],
  };
  const env = [
    ...(app.timezone ? [{ name: 'TZ', value: app.timezone }] : []),
    ...app.env.map(e => ({ name: e.name, value: e.value })),
  ];
  if (env.length > 0) container.env = env;
  if (app.secretName)
    container.envFrom = [{ secretRef: { name: app.secretName } }];
  container.readinessProbe = { tcpSocket: { port: 'http' } };
  container.livenessProbe = { tcpSocket: { port: 'http' } };
  if (app.persistence) {
    container.volumeMounts = [
      { name: 'data', mountPath: app.persistence.mountPath },
    ];
  }
  add(
    'deployment.yaml',
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: app.name, namespace: ns, labels },
      spec: {
        replicas: 1,
        // One writer for a ReadWriteOnce volume: replace, do not overlap.
        ...(app.persistence && { strategy: { type: 'Recreate' } }),
        selector: { matchLabels: { 'app.kubernetes.io/name': app.name } },
        template: {
          metadata: { labels },
          spec: {
            containers: [container],
            ...(app.persistence && {
              volumes: [
                {
                  name: 'data',
                  persistentVolumeClaim: { claimName: app.name },
                },
              ],
            }),
          },
        },
      },
    },
    style.renovateDatasource
      ? text =>
          text.replace(
            `image: ${imageString(app.image)}`,
            `image: ${imageString(app.image)} # renovate: ${
              style.renovateDatasource
            }=${app.image.repository}`,
          )
      : undefined,
  );
  add('svc.yaml', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: app.name, namespace: ns, labels },
    spec: {
      selector: { 'app.kubernetes.io/name': app.name },
      ports: [
        { name: 'http', port: app.port, targetPort: 'http', protocol: 'TCP' },
      ],
    },
  });
  if (app.persistence) {
    add('pvc.yaml', {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: app.name, namespace: ns, labels },
      spec: {
        accessModes: ['ReadWriteOnce'],
        ...(app.persistence.storageClass && {
          storageClassName: app.persistence.storageClass,
        }),
        resources: { requests: { storage: app.persistence.size } },
      },
    });
  }
  let route: Record<string, unknown> | undefined;
  if (app.hostname && app.gateway) {
    route = buildHttpRoute({
      name: app.name,
      namespace: ns,
      hostnames: [app.hostname],
      gateway: app.gateway,
      backend: { name: app.name, port: app.port },
      labels,
    });
    add('http-route.yaml', route);
  }
  const kustomizationSchema = await schemaFor(
    repo,
    manifests,
    'kustomization.yaml',
    undefined,
  );
  planned.push({
    path: `${appPath}/kustomization.yaml`,
    content:
      (kustomizationSchema
        ? `---\n# yaml-language-server: $schema=${kustomizationSchema}\n`
        : style.prefix) +
      stringifyManifest({
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: [...resources].sort(),
      }),
    action: 'create',
  });

  // AppProject destinations: add the namespace when the project lists them.
  const projectPath = [
    `${categoryPath}/project.yaml`,
    `${categoryPath}/project.yml`,
  ].find(p => files.includes(p));
  if (projectPath) {
    const text = (await repo.read(projectPath))!;
    const updated = addProjectDestination(text, ns);
    if (updated !== undefined)
      planned.push({ path: projectPath, content: updated, action: 'update' });
  }
  // Category kustomization: add the folder when the category lists its apps.
  const categoryKustomization = `${categoryPath}/kustomization.yaml`;
  if (files.includes(categoryKustomization)) {
    const text = (await repo.read(categoryKustomization))!;
    const obj = (parseDocument(text).toJS() ?? {}) as { resources?: string[] };
    const appDirs = childDirectories(files, categoryPath);
    const listed = (obj.resources ?? []).filter(r =>
      appDirs.includes(r.replace(/^\.\//, '').replace(/\/$/, '')),
    );
    if (listed.length > 0) {
      const dotted = listed.every(r => r.startsWith('./'));
      planned.push({
        path: categoryKustomization,
        content: editYaml(text, doc => {
          insertSorted(
            rootSeq(doc, 'resources'),
            dotted ? `./${app.name}` : app.name,
            v => !/\.ya?ml$/.test(v),
          );
        }),
        action: 'update',
      });
    }
  }

  planned.push({
    path: `${appPath}/catalog-info.yaml`,
    content: catalogInfoFile(
      app,
      appPath,
      labelsKubernetesId(labels, app.name),
    ),
    action: 'create',
  });

  return {
    layout: 'argocd',
    appPath,
    kustomizationPath: `${appPath}/kustomization.yaml`,
    manifestsPath: appPath,
    files: planned,
    namespaceCreated,
    catalogInfoPath: `${appPath}/catalog-info.yaml`,
    route,
  };
}

function stringifyManifest(object: unknown) {
  return stringify(object, STRINGIFY);
}

/** How the repo's own manifests look: document marker, Renovate comments. */
function repoStyle(texts: string[]) {
  const withMarker = texts.filter(t => t.startsWith('---')).length;
  const renovate = texts
    .map(t => /image:\s*\S+\s*#\s*renovate:\s*([\w-]+)=/.exec(t)?.[1])
    .find(Boolean);
  return {
    prefix: withMarker * 2 >= texts.length && texts.length > 0 ? '---\n' : '',
    renovateDatasource: renovate,
  };
}

/**
 * Adds `namespace` to an AppProject's destinations when it lists namespaces
 * (and none is "*"), copying the server/name of the existing entries.
 * Undefined = no change needed.
 */
export function addProjectDestination(
  text: string,
  namespace: string,
): string | undefined {
  const obj = parseDocument(text).toJS() as any;
  const destinations: any[] = obj?.spec?.destinations ?? [];
  if (
    obj?.kind !== 'AppProject' ||
    destinations.length === 0 ||
    destinations.some(d => d.namespace === '*' || d.namespace === namespace)
  ) {
    return undefined;
  }
  return editYaml(text, doc => {
    const spec = doc.get('spec', true);
    const seq = isMap(spec) ? spec.get('destinations', true) : undefined;
    if (!isSeq(seq)) return;
    const model = seq.items[seq.items.length - 1];
    const entry = new YAMLMap();
    if (isMap(model)) {
      // Same keys, same order, same quoting as the last entry.
      for (const pair of model.items) {
        const key = String((pair.key as Scalar).value);
        const old = pair.value;
        const oldValue = isScalar(old) ? old.value : '';
        const value = new Scalar(key === 'namespace' ? namespace : oldValue);
        if (isScalar(old) && old.type) value.type = old.type;
        entry.set(key, value);
      }
    }
    if (!entry.has('namespace')) entry.set('namespace', namespace);
    (seq as YAMLSeq).items.push(entry);
  });
}
