import { Document, isMap, isScalar, isSeq, Node, Scalar } from 'yaml';
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

function walk(
  node: unknown,
  path: string[],
  name: string | undefined,
  visit: {
    map?: (path: string[], keys: string[], node: Node) => void;
    scalar?: (path: string[], node: Scalar) => void;
  },
) {
  if (isMap(node)) {
    const keys = node.items.map(p =>
      String(isScalar(p.key) ? p.key.value : p.key),
    );
    visit.map?.(
      path,
      keys.map(k => segment(k, name)),
      node,
    );
    node.items.forEach((pair, i) =>
      walk(pair.value, [...path, segment(keys[i], name)], name, visit),
    );
  } else if (isSeq(node)) {
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
  private readonly indent = new Tally<boolean>();
  private readonly marker = new Tally<boolean>();
  private readonly schema = new Tally<string>();
  samples = 0;

  /** Learns from one object of the repository; `name` is its app's name. */
  learn(sample: RepoObject, name?: string) {
    this.samples++;
    walk(sample.doc.contents, [], name, {
      map: (path, keys) => this.order.observe(path.join('.'), keys),
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
    walk(doc.contents, [], options.name, {
      map: (path, keys, node) => {
        if (!isMap(node)) return;
        const sorted = this.sortKeys(path, keys);
        node.items.sort((a, b) => {
          const ka = segment(String((a.key as Scalar).value), options.name);
          const kb = segment(String((b.key as Scalar).value), options.name);
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
      })
    );
  }
}
