import {
  Document,
  isMap,
  isSeq,
  parseAllDocuments,
  YAMLMap,
  YAMLSeq,
} from 'yaml';
import { APP } from '../profile/normalize';
import { RepoProfile } from '../profile/RepoProfile';
import { AppLocation } from './findApp';
import { PlannedFile } from './types';
import { editYaml, setKeySorted } from './yamlFiles';

/**
 * Makes the app's main container read a Secret with envFrom: in the
 * HelmRelease's app-template values (Flux) or the Deployment (Argo CD).
 * Returns the edited file, nothing when it already does, or a reason why
 * it cannot.
 */
export function wireEnvFrom(
  profile: RepoProfile,
  app: AppLocation,
  secretName: string,
): { file?: PlannedFile; error?: string } {
  const kind = app.layout === 'flux' ? 'HelmRelease' : 'Deployment';
  const candidates = [
    ...new Set(
      profile.objects
        .filter(o => o.dir === app.manifestsPath && o.object.kind === kind)
        .map(o => o.path),
    ),
  ];
  for (const path of candidates) {
    const text = profile.objects.find(o => o.path === path)!.text;
    const docs = parseAllDocuments(text);
    if (docs.length !== 1 || !(docs[0] instanceof Document)) continue;
    const result: { outcome: 'added' | 'present' | 'no-container' } = {
      outcome: 'no-container',
    };
    const content = editYaml(text, doc => {
      const container = mainContainer(doc, app);
      if (!container) return;
      const found: unknown = container.get('envFrom', true);
      let seq: YAMLSeq;
      if (isSeq(found)) {
        seq = found;
      } else {
        seq = new YAMLSeq();
        const style =
          app.layout === 'flux'
            ? profile.appTemplate?.helmReleaseStyle
            : profile.workloads?.styles.get('Deployment');
        const keyPath =
          app.layout === 'flux'
            ? ['spec', 'values', 'controllers', APP, 'containers', 'app']
            : ['spec', 'template', 'spec', 'containers', '[]'];
        setKeySorted(
          container,
          'envFrom',
          seq,
          app.layout === 'flux' ? ['image'] : ['name', 'image'],
          keys => style?.placeKey(keyPath, keys, 'envFrom'),
        );
      }
      if (
        (seq.toJSON() as any[]).some(e => e?.secretRef?.name === secretName)
      ) {
        result.outcome = 'present';
        return;
      }
      seq.add(doc.createNode({ secretRef: { name: secretName } }));
      result.outcome = 'added';
    });
    if (result.outcome === 'present') return {};
    if (result.outcome === 'added')
      return {
        file: {
          path,
          content,
          action: 'update',
          reason: `the container reads ${secretName} (envFrom)`,
        },
      };
  }
  return {
    error: `no ${
      app.layout === 'flux'
        ? 'HelmRelease with app-template controllers'
        : 'Deployment'
    } with a container was found in ${app.manifestsPath}`,
  };
}

function mainContainer(doc: Document, app: AppLocation): YAMLMap | undefined {
  if (app.layout === 'flux') {
    const controllers = doc.getIn(['spec', 'values', 'controllers'], true);
    if (!isMap(controllers) || controllers.items.length === 0) return undefined;
    const controller =
      (controllers.get(app.name, true) as YAMLMap | undefined) ??
      (controllers.items[0].value as YAMLMap);
    const containers = isMap(controller)
      ? controller.get('containers', true)
      : undefined;
    if (!isMap(containers) || containers.items.length === 0) return undefined;
    const c =
      (containers.get('app', true) as YAMLMap | undefined) ??
      containers.items[0].value;
    return isMap(c) ? c : undefined;
  }
  const containers = doc.getIn(
    ['spec', 'template', 'spec', 'containers'],
    true,
  );
  if (!isSeq(containers) || containers.items.length === 0) return undefined;
  const named = containers.items.find(
    c => isMap(c) && c.get('name') === app.name,
  );
  const c = named ?? containers.items[0];
  return isMap(c) ? c : undefined;
}
