import {
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  Scalar,
  YAMLMap,
  YAMLSeq,
} from 'yaml';
import { AppsContainer } from '../../profile/layout';
import { DocumentStyle } from '../../profile/documentStyle';
import { normalize, withName } from '../../profile/normalize';
import { baseName, RepoObject } from '../../profile/repoObjects';
import { RepoProfile } from '../../profile/RepoProfile';
import { Tally } from '../../profile/tally';
import { registerEntry } from '../register';
import { renderFile } from '../render';
import { PlannedFile } from '../types';
import { editYaml, rootSeq } from '../yamlFiles';

/** The Application template (or Application) that deploys apps of a container. */
function deployerSpec(
  container: AppsContainer,
): Record<string, any> | undefined {
  const r = container.registration;
  if (r.kind === 'appset') return r.appset.object.spec?.template?.spec;
  if (r.kind === 'category-kustomization') {
    return r.deployer?.object.kind === 'ApplicationSet'
      ? r.deployer.object.spec?.template?.spec
      : r.deployer?.object.spec;
  }
  return undefined;
}

const BASENAME = /^\{\{\s*\.?path\.basename\s*\}\}$/;

/**
 * Whether Argo CD itself creates the app's namespace: `CreateNamespace=true`
 * creates the Application's destination namespace only, so it counts only
 * when that destination is the app's namespace.
 */
export function argoCreatesNamespace(
  container: AppsContainer,
  namespace: string,
  app: string,
  model?: Record<string, any>,
): boolean {
  const spec = model?.spec ?? deployerSpec(container);
  const create = JSON.stringify(spec?.syncPolicy?.syncOptions ?? []).includes(
    'CreateNamespace=true',
  );
  if (!create) return false;
  if (model) return true;
  const dest = String(spec?.destination?.namespace ?? '');
  const folder =
    container.registration.kind === 'appset' ? app : container.name;
  return dest === namespace || (BASENAME.test(dest) && folder === namespace);
}

/** The namespace the deployer puts objects without one into, when it is the app's. */
export function argoSetsNamespace(
  container: AppsContainer,
  namespace: string,
  app: string,
  model?: Record<string, any>,
) {
  if (model) return true;
  const dest = String(deployerSpec(container)?.destination?.namespace ?? '');
  const folder =
    container.registration.kind === 'appset' ? app : container.name;
  return dest === namespace || (BASENAME.test(dest) && folder === namespace);
}

/** The AppProject apps of the container sync through. */
export function projectOf(
  profile: RepoProfile,
  container: AppsContainer,
  model?: Record<string, any>,
) {
  const name = (model?.spec ?? deployerSpec(container))?.project;
  return profile.objects.find(
    o => o.object.kind === 'AppProject' && o.object.metadata?.name === name,
  );
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
      if (model.flow) entry.flow = true;
    }
    if (!entry.has('namespace')) entry.set('namespace', namespace);
    (seq as YAMLSeq).items.push(entry);
  });
}

/** An app folder in the container's kustomization, as the folder lists them. */
export function registerFolder(
  profile: RepoProfile,
  kustomization: string,
  app: string,
): PlannedFile {
  const text = profile.objects.find(o => o.path === kustomization)?.text ?? '';
  const listed: string[] = (parseDocument(text).toJS()?.resources ?? []).map(
    String,
  );
  const folders = listed.filter(r => !/\.ya?ml$/.test(r));
  const dotted = folders.length > 0 && folders.every(r => r.startsWith('./'));
  const entry = dotted ? `./${app}` : app;
  return {
    path: kustomization,
    content: editYaml(text, doc => {
      registerEntry(rootSeq(doc, 'resources'), entry, v => !/\.ya?ml$/.test(v));
    }),
    action: 'update',
    reason: `registers the app folder ${entry}`,
  };
}

/**
 * App-of-apps: the Application manifest of the new app, the shape most
 * sibling Applications share (with their own names as the placeholder),
 * pointed at the new folder and namespace, and its registration where the
 * siblings are listed.
 */
export function applicationFile(
  profile: RepoProfile,
  siblings: RepoObject[],
  app: string,
  appPath: string,
  namespace: string,
): {
  files: PlannedFile[];
  model: Record<string, any>;
  count: number;
  total: number;
} {
  const folderOf = (o: RepoObject) =>
    baseName(String(o.object.spec?.source?.path ?? o.object.metadata?.name));
  const shapes = new Tally<Record<string, any>>(
    siblings.map(s => normalize(s.object, folderOf(s)) as Record<string, any>),
  );
  const best = shapes.mostCommon('Applications')!;
  const model = withName(best.value, app);
  model.spec.source = { ...model.spec.source, path: appPath };
  if (model.spec.destination?.namespace !== undefined)
    model.spec.destination.namespace = namespace;
  const fileName = withName(
    new Tally(
      siblings.map(s => String(normalize(baseName(s.path), folderOf(s)))),
    ).mostCommon('Applications')!.value,
    app,
  );
  const style = new DocumentStyle();
  for (const s of siblings) style.learn(s, folderOf(s));
  const path = `${siblings[0].dir ? `${siblings[0].dir}/` : ''}${fileName}`;
  const files: PlannedFile[] = [
    {
      path,
      content: renderFile(model, style, { name: app }),
      action: 'create',
      reason: `the Argo CD Application, like ${best.count} of ${best.total} sibling Applications`,
    },
  ];
  const siblingFiles = new Set(siblings.map(s => baseName(s.path)));
  const list = profile.objects.find(
    o =>
      o.dir === siblings[0].dir &&
      o.object.kind === 'Kustomization' &&
      (o.object.resources ?? []).some((r: string) =>
        siblingFiles.has(String(r).replace(/^\.\//, '')),
      ),
  );
  if (list) {
    const dotted = (list.object.resources as string[]).every(r =>
      String(r).startsWith('./'),
    );
    const entry = dotted ? `./${fileName}` : fileName;
    files.push({
      path: list.path,
      content: editYaml(list.text, doc => {
        registerEntry(rootSeq(doc, 'resources'), entry, v =>
          /\.ya?ml$/.test(v),
        );
      }),
      action: 'update',
      reason: `registers the Application ${entry}`,
    });
  }
  return { files, model, count: best.count, total: best.total };
}
