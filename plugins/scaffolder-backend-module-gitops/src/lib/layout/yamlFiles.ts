import {
  Document,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  Scalar,
  stringify,
  YAMLMap,
  YAMLSeq,
} from 'yaml';

/** No anchors/aliases for repeated objects (shared label maps stay spelled out). */
export const STRINGIFY = {
  lineWidth: 0,
  indentSeq: true,
  aliasDuplicateObjects: false,
} as const;

/**
 * A new manifest in the home-ops style: `---`, the schema comment the
 * yaml-language-server reads, then the object with 2-space indentation,
 * sequences indented under their key, and no folding of long strings.
 */
export function manifestFile(object: unknown, schemaUrl?: string): string {
  const header = schemaUrl
    ? `---\n# yaml-language-server: $schema=${schemaUrl}\n`
    : '---\n';
  return header + stringify(object, STRINGIFY);
}

/** Several documents in one file (Argo CD style files are single-object, but kustomize accepts this). */
export function multiDocumentFile(objects: unknown[]): string {
  return objects.map(o => `---\n${stringify(o, STRINGIFY)}`).join('');
}

/** A generated file with or without the leading `---`, as the repo writes them. */
export function withMarker(text: string, marker: boolean): string {
  const bare = text.replace(/^---\n/, '');
  return marker ? `---\n${bare}` : bare;
}

/** The schema comment a file in the repo carries, if any. */
export function schemaComment(text: string): string | undefined {
  return /^#\s*yaml-language-server:\s*\$schema=(\S+)/m.exec(text)?.[1];
}

type EditOptions = { indentSeq: boolean };

/** The stringify options under which this file round-trips unchanged, if any. */
function roundTripOptions(text: string): EditOptions {
  for (const indentSeq of [true, false]) {
    const doc = parseDocument(text, { keepSourceTokens: false });
    if (doc.toString({ lineWidth: 0, indentSeq }) === text)
      return { indentSeq };
  }
  // Not byte-stable either way: keep the file's own sequence style.
  return { indentSeq: !/^(\s*)[\w./-]+:[ \t]*\n\1- /m.test(text) };
}

/**
 * Edits one YAML file through the yaml Document API, so comments, key order,
 * quoting and blank lines survive; only the edited nodes change.
 */
export function editYaml(
  text: string,
  edit: (doc: Document.Parsed) => void,
): string {
  const options = roundTripOptions(text);
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw new Error(`cannot parse YAML: ${doc.errors[0].message}`);
  }
  edit(doc);
  return doc.toString({ lineWidth: 0, indentSeq: options.indentSeq });
}

/**
 * Inserts a string into a sequence keeping it sorted among the entries the
 * `sortable` predicate selects (e.g. `./<app>/ks.yaml` lines) and after the
 * others; a comment on a neighbour stays with that neighbour.
 * Returns false when the value is already there.
 */
export function insertSorted(
  seq: YAMLSeq,
  value: string,
  sortable: (entry: string) => boolean = () => true,
): boolean {
  const items = seq.items;
  const values = items.map(i => (isScalar(i) ? String(i.value) : undefined));
  if (values.includes(value)) return false;
  let at = items.length;
  let lastSortable = -1;
  for (let i = 0; i < items.length; i++) {
    const v = values[i];
    if (v === undefined || !sortable(v)) continue;
    lastSortable = i;
    if (v.localeCompare(value) > 0) {
      at = i;
      break;
    }
  }
  if (at === items.length && lastSortable >= 0) at = lastSortable + 1;
  const node = new Scalar(value);
  // Reuse the neighbours' quoting style.
  const sample = items.find(i => isScalar(i)) as Scalar | undefined;
  if (sample?.type) node.type = sample.type;
  items.splice(at, 0, node);
  return true;
}

/** The sequence at a key of the root map, created when missing. */
export function rootSeq(doc: Document, key: string): YAMLSeq {
  const root = doc.contents;
  if (!isMap(root)) throw new Error('the file is not a YAML mapping');
  const found: unknown = root.get(key, true);
  if (found === undefined) {
    const seq = new YAMLSeq();
    (root as YAMLMap).set(key, seq);
    return seq;
  }
  if (!isSeq(found)) throw new Error(`"${key}" is not a list`);
  return found;
}

/**
 * Sets a key in a map at its sorted place (keys in `first` stay in front), as
 * the home-ops sorting rules want; an existing key is replaced in place.
 */
export function setKeySorted(
  map: YAMLMap,
  key: string,
  value: unknown,
  first: string[] = [],
) {
  if (map.has(key)) {
    map.set(key, value);
    return;
  }
  const keys = map.items.map(p => String((p.key as Scalar)?.value ?? p.key));
  let at = keys.length;
  for (let i = 0; i < keys.length; i++) {
    if (first.includes(keys[i])) continue;
    if (keys[i].localeCompare(key) > 0) {
      at = i;
      break;
    }
  }
  map.set(key, value);
  const added = map.items.pop()!;
  map.items.splice(at, 0, added);
}
