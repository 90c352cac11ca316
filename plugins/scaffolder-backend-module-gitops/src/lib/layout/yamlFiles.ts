import {
  Document,
  isMap,
  isSeq,
  parseDocument,
  Scalar,
  YAMLMap,
  YAMLSeq,
} from 'yaml';

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
  const options = { lineWidth: 0, indentSeq: roundTripOptions(text).indentSeq };
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw new Error(`cannot parse YAML: ${doc.errors[0].message}`);
  }
  const before = doc.toString(options);
  edit(doc);
  const after = doc.toString(options);
  return before === text ? after : keepUntouchedLines(text, before, after);
}

/**
 * The yaml library writes some things its own way (`{ drop: [ "ALL" ] }`
 * for `{ drop: ["ALL"] }`). When the edit only inserted lines, the file's
 * own lines are kept and only the inserted ones come from the library, so
 * nothing but the registration changes.
 */
function keepUntouchedLines(
  text: string,
  before: string,
  after: string,
): string {
  const original = text.split('\n');
  const rewritten = before.split('\n');
  if (original.length !== rewritten.length) return after;
  const out: string[] = [];
  let i = 0;
  for (const line of after.split('\n')) {
    if (i < rewritten.length && line === rewritten[i]) out.push(original[i++]);
    else out.push(line);
  }
  return i === rewritten.length ? out.join('\n') : after;
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
 * Sets a key in a map: where `place` (the repository's learned order) puts
 * it, else at its sorted place (keys in `first` stay in front), as the
 * home-ops sorting rules want; an existing key is replaced in place.
 */
export function setKeySorted(
  map: YAMLMap,
  key: string,
  value: unknown,
  first: string[] = [],
  place?: (existing: string[]) => number | undefined,
) {
  if (map.has(key)) {
    map.set(key, value);
    return;
  }
  const keys = map.items.map(p => String((p.key as Scalar)?.value ?? p.key));
  let at = place?.(keys) ?? keys.length;
  for (let i = 0; place?.(keys) === undefined && i < keys.length; i++) {
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
