import {
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  Scalar,
  YAMLMap,
  YAMLSeq,
} from 'yaml';
import { editYaml } from '../yamlFiles';

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
