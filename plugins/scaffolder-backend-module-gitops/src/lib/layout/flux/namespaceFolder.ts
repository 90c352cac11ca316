import { isMap, parseDocument } from 'yaml';
import { RepoProfile } from '../../profile/RepoProfile';
import { Tally } from '../../profile/tally';
import { childDirectories } from '../../repo/RepoSnapshot';
import { namespaceManifest } from '../namespace';
import { registerEntry } from '../register';
import { renderFile } from '../render';
import { PlannedFile, SCHEMAS } from '../types';
import { editYaml, rootSeq } from '../yamlFiles';
import { KS_ENTRY } from './registration';

const NAMESPACE_FILE = /^\.\/namespace\.ya?ml$/;

/** The sibling namespace folder a new one is shaped like. */
export type NamespaceFolderModel = {
  /** its namespace (the folder's name) */
  namespace: string;
  /** its kustomization.yaml */
  path: string;
  text: string;
  /** the namespace file its kustomization lists (`./namespace.yaml`), with the file's text when the repository has it */
  namespaceFile?: { entry: string; text?: string };
};

/**
 * The namespace folder most siblings under the apps folder look like (same
 * kustomization keys, namespace file, components); undefined when there are
 * none.
 */
export function namespaceFolderModel(
  profile: RepoProfile,
  appsPath: string,
): NamespaceFolderModel | undefined {
  const texts = new Map(profile.objects.map(o => [o.path, o.text]));
  const siblings = childDirectories(profile.files, appsPath)
    .map(ns => ({ ns, path: `${appsPath}/${ns}/kustomization.yaml` }))
    .filter(s => texts.has(s.path))
    .map(s => {
      const text = texts.get(s.path)!;
      const obj = (parseDocument(text).toJS() ?? {}) as Record<string, any>;
      const resources: string[] = Array.isArray(obj.resources)
        ? obj.resources
        : [];
      return {
        ...s,
        text,
        obj,
        shape: JSON.stringify({
          keys: Object.keys(obj).sort(),
          namespaceFile: resources.filter(r => NAMESPACE_FILE.test(r)),
          components: obj.components,
        }),
      };
    });
  const shape = new Tally(siblings.map(s => s.shape)).mostCommon(
    'namespace folders',
  );
  const model = siblings.find(s => s.shape === shape?.value);
  if (!model) return undefined;
  const entry: string | undefined = (model.obj.resources ?? []).find(
    (r: string) => NAMESPACE_FILE.test(r),
  );
  return {
    namespace: model.ns,
    path: model.path,
    text: model.text,
    ...(entry && {
      namespaceFile: {
        entry,
        text: texts.get(`${appsPath}/${model.ns}/${entry.slice(2)}`),
      },
    }),
  };
}

/**
 * A new `<apps>/<namespace>/` folder (`folder`) shaped like the model
 * sibling (its components, its namespace file, its comments), listing the
 * app; the home-ops default when the repository has no namespace folder.
 */
export function newNamespaceFolder(
  folder: string,
  namespace: string,
  app: string,
  model: NamespaceFolderModel | undefined,
): PlannedFile[] {
  const reason = `new namespace folder, shaped like ${
    model ? model.path : 'the home-ops default'
  }`;
  if (!model) {
    return [
      {
        path: `${folder}/kustomization.yaml`,
        content: renderFile(
          namespaceFolderKustomization(namespace, app),
          undefined,
          { schema: SCHEMAS.kustomization },
        ),
        action: 'create',
        reason,
      },
      {
        path: `${folder}/namespace.yaml`,
        content: renderFile(namespaceManifest(namespace), undefined),
        action: 'create',
        reason: `the Namespace ${namespace}`,
      },
    ];
  }
  const nsFile = model.namespaceFile;
  const out: PlannedFile[] = [
    {
      path: `${folder}/kustomization.yaml`,
      content: kustomizationLike(model.text, nsFile?.entry, namespace, app),
      action: 'create',
      reason,
    },
  ];
  if (nsFile) {
    out.push({
      path: `${folder}/${nsFile.entry.slice(2)}`,
      content: nsFile.text
        ? namespaceFileLike(nsFile.text, model.namespace, namespace)
        : renderFile(namespaceManifest(namespace), undefined),
      action: 'create',
      reason: `the Namespace ${namespace}, like ${model.namespace}'s`,
    });
  }
  return out;
}

/** The home-ops namespace folder's kustomization: the namespace, its Namespace file and the app. */
export function namespaceFolderKustomization(namespace: string, app: string) {
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace,
    resources: ['./namespace.yaml', `./${app}/ks.yaml`],
  };
}

/** The model's kustomization for the new namespace: its namespace file and the app instead of its own apps. */
export function kustomizationLike(
  text: string,
  namespaceEntry: string | undefined,
  namespace: string,
  app: string,
): string {
  return editYaml(text, doc => {
    if (doc.has('namespace')) doc.set('namespace', namespace);
    const seq = rootSeq(doc, 'resources');
    seq.items = seq.items.filter(
      item => String((item as any)?.value ?? '') === namespaceEntry,
    );
    registerEntry(seq, `./${app}/ks.yaml`, v => KS_ENTRY.test(v));
  });
}

/** The model's namespace file for the new namespace. */
export function namespaceFileLike(
  text: string,
  modelNamespace: string,
  namespace: string,
): string {
  return editYaml(text, doc => {
    const meta = doc.get('metadata', true);
    // onedr0p names it "_" and lets kustomize's namespace: rename it.
    if (isMap(meta) && meta.get('name') === modelNamespace)
      meta.set('name', namespace);
  });
}
