import {
  Document,
  isMap,
  isScalar,
  isSeq,
  Scalar,
  YAMLMap,
  YAMLSeq,
} from 'yaml';
import { OrderLearner } from './order';
import { segment } from './normalize';
import { RepoObject } from './repoObjects';
import { Tally } from './tally';

type ScalarType = Scalar['type'];

/** A file's own sequence style: `key:\n  - x` (indented) or `key:\n- x`. */
export function indentsSequences(text: string): boolean | undefined {
  const m = /^( *)[^\s#-][^\n]*:[ \t]*\n(?:\s*#[^\n]*\n)*( *)- /m.exec(text);
  if (!m) return undefined;
  return m[2].length > m[1].length;
}

const keyOf = (pair: { key: unknown }) =>
  String(isScalar(pair.key) ? pair.key.value : pair.key);

function walk(
  node: unknown,
  path: string[],
  name: string | undefined,
  visit: {
    map?: (path: string[], keys: string[], node: YAMLMap) => void;
    seq?: (path: string[], node: YAMLSeq) => void;
    scalar?: (path: string[], node: Scalar) => void;
  },
) {
  if (isMap(node)) {
    visit.map?.(
      path,
      node.items.map(p => segment(keyOf(p), name)),
      node,
    );
    // After the visit: it may have reordered the items.
    for (const pair of node.items) {
      walk(pair.value, [...path, segment(keyOf(pair), name)], name, visit);
    }
  } else if (isSeq(node)) {
    visit.seq?.(path, node);
    for (const item of node.items) walk(item, [...path, '[]'], name, visit);
  } else if (isScalar(node)) {
    visit.scalar?.(path, node);
  }
}

/**
 * How the repository writes one kind of file, learned from its files of
 * that kind: key order, quoting of strings, sequence indentation, the
 * leading `---` and the yaml-language-server schema comment.
 */
export class DocumentStyle {
  private readonly order = new OrderLearner();
  private readonly quoting = new Map<string, Tally<ScalarType>>();
  private readonly flow = new Map<string, Tally<boolean>>();
  private readonly indent = new Tally<boolean>();
  private readonly marker = new Tally<boolean>();
  private readonly schema = new Tally<string>();
  /** `{ a: 1 }` / `[ x ]` rather than `{a: 1}` / `[x]` */
  private readonly padding = new Tally<boolean>();
  samples = 0;

  /** Learns from one object of the repository; `name` is its app's name. */
  learn(sample: RepoObject, name?: string) {
    this.samples++;
    const flow = (path: string[], node: YAMLMap | YAMLSeq) => {
      const key = path.join('.');
      const tally = this.flow.get(key) ?? new Tally<boolean>();
      tally.add(!!node.flow);
      this.flow.set(key, tally);
    };
    walk(sample.doc.contents, [], name, {
      map: (path, keys, node) => {
        this.order.observe(path.join('.'), keys);
        flow(path, node);
      },
      seq: flow,
      scalar: (path, node) => {
        if (typeof node.value !== 'string') return;
        const key = path.join('.');
        const tally = this.quoting.get(key) ?? new Tally<ScalarType>();
        tally.add(node.type);
        this.quoting.set(key, tally);
      },
    });
    this.indent.add(indentsSequences(sample.text));
    this.marker.add(sample.text.startsWith('---'));
    const padded = (sample.text.match(/: [[{] \S/g) ?? []).length;
    const tight = (sample.text.match(/: [[{][^\s\]}]/g) ?? []).length;
    if (padded + tight > 0) this.padding.add(padded >= tight);
    this.schema.add(
      /^#\s*yaml-language-server:\s*\$schema=(\S+)/m.exec(sample.text)?.[1] ??
        '',
    );
  }

  /** Keys in the order the repository writes them under this path. */
  sortKeys(path: string[], keys: string[]): string[] {
    return this.order.sort(path.join('.'), keys);
  }

  /**
   * Where a new key goes among a map's existing keys (an index into them),
   * by the learned order; undefined when nothing was learned about it.
   */
  placeKey(
    path: string[],
    existing: string[],
    key: string,
  ): number | undefined {
    const context = path.join('.');
    if (
      !existing.some(
        k =>
          this.order.before(context, k, key) +
            this.order.before(context, key, k) >
          0,
      )
    )
      return undefined;
    const sorted = this.order.sort(context, [...existing, key]);
    const next = sorted
      .slice(sorted.indexOf(key) + 1)
      .find(k => existing.includes(k));
    return next === undefined ? existing.length : existing.indexOf(next);
  }

  /** Whether sequences are indented under their key (the default when unknown). */
  get indentSeq(): boolean {
    return this.indent.mostCommon('files')?.value ?? true;
  }

  /** Whether files start with `---`; `fallback` when there are none to learn from. */
  documentMarker(fallback: boolean): boolean {
    return this.marker.mostCommon('files')?.value ?? fallback;
  }

  /** The schema comment most files carry (undefined: most carry none). */
  schemaUrl(fallback?: string): string | undefined {
    const best = this.schema.mostCommon('files');
    if (!best) return fallback;
    return best.value === '' ? undefined : best.value;
  }

  /**
   * The object as a file in this style. `name` is the new app's name (so
   * `controllers.<app>` matches the placeholder the repository taught).
   */
  render(
    object: unknown,
    options: { name?: string; marker?: boolean; schema?: string } = {},
  ): string {
    const doc = new Document(object, { aliasDuplicateObjects: false });
    const flow = (path: string[], node: YAMLMap | YAMLSeq) => {
      const learned = this.flow.get(path.join('.'))?.majority('nodes');
      if (learned?.value && path.length > 0) node.flow = true;
    };
    walk(doc.contents, [], options.name, {
      seq: flow,
      map: (path, keys, node) => {
        flow(path, node);
        const sorted = this.sortKeys(path, keys);
        node.items.sort((a, b) => {
          const ka = segment(keyOf(a), options.name);
          const kb = segment(keyOf(b), options.name);
          return sorted.indexOf(ka) - sorted.indexOf(kb);
        });
      },
      scalar: (path, node) => {
        if (typeof node.value !== 'string') return;
        const learned = this.quoting.get(path.join('.'))?.majority('values');
        if (learned && learned.count >= 2 && learned.value) {
          node.type = learned.value;
        }
      },
    });
    const marker = options.marker ?? this.documentMarker(true);
    const schema = options.schema;
    const header = `${marker ? '---\n' : ''}${
      schema ? `# yaml-language-server: $schema=${schema}\n` : ''
    }`;
    return (
      header +
      doc.toString({
        lineWidth: 0,
        indentSeq: this.indentSeq,
        flowCollectionPadding: this.padding.mostCommon('files')?.value ?? true,
      })
    );
  }
}
