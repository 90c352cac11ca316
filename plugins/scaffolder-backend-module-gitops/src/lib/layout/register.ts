import { isScalar, Scalar, YAMLSeq } from 'yaml';
import { resourceKey } from '../profile/kustomizations';
import { isSorted, OrderLearner } from '../profile/order';
import { editYaml, rootSeq } from './yamlFiles';

const valueOf = (item: unknown) =>
  isScalar(item) ? String(item.value) : undefined;

function insertAt(seq: YAMLSeq, at: number, value: string) {
  const node = new Scalar(value);
  // The neighbours' quoting.
  const sample = seq.items.find(i => isScalar(i)) as Scalar | undefined;
  if (sample?.type) node.type = sample.type;
  seq.items.splice(at, 0, node);
}

/**
 * Adds an entry to a list the way the list is kept: in alphabetical place
 * among its kind of entries (`matches`) when those are sorted, else after
 * the last of them. Comments on neighbours stay with them. False when the
 * entry is there already.
 */
export function registerEntry(
  seq: YAMLSeq,
  value: string,
  matches: (entry: string) => boolean,
): boolean {
  const values = seq.items.map(valueOf);
  if (values.includes(value)) return false;
  const same = values
    .map((v, i) => ({ v, i }))
    .filter(
      (e): e is { v: string; i: number } => e.v !== undefined && matches(e.v),
    );
  let at = seq.items.length;
  if (same.length > 0) {
    at = same[same.length - 1].i + 1;
    if (isSorted(same.map(e => e.v))) {
      const next = same.find(e => e.v.localeCompare(value) > 0);
      if (next) at = next.i;
    }
  }
  insertAt(seq, at, value);
  return true;
}

/**
 * Adds a file to an app's kustomization where the repository's order puts
 * it (learned from every app kustomization: `./externalsecret.yaml` first,
 * `secret-*.yaml` before `svc.yaml`, …); alphabetical when the repository
 * says nothing.
 */
export function registerResource(
  text: string,
  entry: string,
  order: OrderLearner,
  keyOf: (entry: string) => string,
): string {
  return editYaml(text, doc => {
    const seq = rootSeq(doc, 'resources');
    const values = seq.items.map(valueOf);
    if (values.includes(entry)) return;
    const key = keyOf(entry);
    let at = seq.items.length;
    let decided = false;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === undefined) continue;
      const other = keyOf(v);
      const mineFirst = order.before('resources', key, other);
      const theirsFirst = order.before('resources', other, key);
      if (mineFirst > theirsFirst) {
        at = i;
        decided = true;
        break;
      }
      if (theirsFirst > mineFirst) decided = true;
    }
    if (!decided) {
      const next = values.findIndex(
        v =>
          v !== undefined && /\.ya?ml$/.test(v) && v.localeCompare(entry) > 0,
      );
      if (next >= 0 && isSorted(values.filter((v): v is string => !!v)))
        at = next;
    }
    insertAt(seq, at, entry);
  });
}

/** A new app's resources list in the repository's order (alphabetical when unknown). */
export function orderResources(
  entries: string[],
  order: OrderLearner,
  app: string,
): string[] {
  const keys = new Map(entries.map(e => [resourceKey(e, app), e]));
  const alphabetical = [...keys.keys()].sort();
  return order.sort('resources', alphabetical).map(k => keys.get(k)!);
}
