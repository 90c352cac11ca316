import { isMap, parseDocument } from 'yaml';
import { RepoProfile } from '../../profile/RepoProfile';
import { Tally } from '../../profile/tally';
import { childDirectories } from '../../repo/RepoSnapshot';
import { registerEntry } from '../register';
import { renderFile } from '../render';
import { PlannedFile, SCHEMAS } from '../types';
import { editYaml, rootSeq } from '../yamlFiles';

export const KS_ENTRY = /^\.\/[^/]+\/ks\.ya?ml$/;

/**
 * A new `<apps>/<namespace>/` folder shaped like the most common sibling
 * (its components, its namespace file, its comments), listing the app.
 */
export async function newNamespaceFolder(
  profile: RepoProfile,
  appsPath: string,
  namespace: string,
  app: string,
): Promise<PlannedFile[]> {
  const nsPath = `${appsPath}/${namespace}`;
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
          namespaceFile: resources.filter(r =>
            /^\.\/namespace\.ya?ml$/.test(r),
          ),
          components: obj.components,
        }),
      };
    });
  const shape = new Tally(siblings.map(s => s.shape)).mostCommon(
    'namespace folders',
  );
  const model = siblings.find(s => s.shape === shape?.value);
  const reason = `new namespace folder, shaped like ${
    model ? model.path : 'the home-ops default'
  }`;
  if (!model) {
    return [
      {
        path: `${nsPath}/kustomization.yaml`,
        content: renderFile(
          {
            apiVersion: 'kustomize.config.k8s.io/v1beta1',
            kind: 'Kustomization',
            namespace,
            resources: ['./namespace.yaml', `./${app}/ks.yaml`],
          },
          undefined,
          { schema: SCHEMAS.kustomization },
        ),
        action: 'create',
        reason,
      },
      {
        path: `${nsPath}/namespace.yaml`,
        content: renderFile(
          {
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: { name: namespace },
          },
          undefined,
        ),
        action: 'create',
        reason: `the Namespace ${namespace}`,
      },
    ];
  }
  const nsFile = (model.obj.resources ?? []).find((r: string) =>
    /^\.\/namespace\.ya?ml$/.test(r),
  );
  const content = editYaml(model.text, doc => {
    if (doc.has('namespace')) doc.set('namespace', namespace);
    const seq = rootSeq(doc, 'resources');
    seq.items = seq.items.filter(
      item => String((item as any)?.value ?? '') === nsFile,
    );
    registerEntry(seq, `./${app}/ks.yaml`, v => KS_ENTRY.test(v));
  });
  const out: PlannedFile[] = [
    { path: `${nsPath}/kustomization.yaml`, content, action: 'create', reason },
  ];
  if (nsFile) {
    const modelNs = texts.get(`${appsPath}/${model.ns}/${nsFile.slice(2)}`);
    out.push({
      path: `${nsPath}/${nsFile.slice(2)}`,
      content: modelNs
        ? editYaml(modelNs, doc => {
            const meta = doc.get('metadata', true);
            // onedr0p names it "_" and lets kustomize's namespace: rename it.
            if (isMap(meta) && meta.get('name') === model.ns)
              meta.set('name', namespace);
          })
        : renderFile(
            {
              apiVersion: 'v1',
              kind: 'Namespace',
              metadata: { name: namespace },
            },
            undefined,
          ),
      action: 'create',
      reason: `the Namespace ${namespace}, like ${model.ns}'s`,
    });
  }
  return out;
}
