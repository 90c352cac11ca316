import { Document, parseAllDocuments } from 'yaml';
import { RepoSnapshot } from '../repo/RepoSnapshot';

/** One parsed object of a repository file, with its YAML node tree. */
export type RepoObject = {
  path: string;
  /** folder of the file ('' at the root) */
  dir: string;
  object: Record<string, any>;
  /** the document's nodes: key order and scalar quoting as written */
  doc: Document.Parsed;
  text: string;
};

/** Folders a GitOps controller never reads. */
const SKIPPED = /^(\.git|\.github|\.gitea|\.forgejo|\.vscode|node_modules)\//;
/** Larger files are data, not manifests a person wrote. */
const MAX_BYTES = 512 * 1024;

/** Whether a path is a YAML file the profile reads. */
export function isManifestPath(path: string): boolean {
  return /\.ya?ml$/.test(path) && !SKIPPED.test(path);
}

/**
 * Every object of every YAML file of the repository (multi-document aware;
 * unparsable documents are skipped): the whole repository, not a sample.
 */
export async function readRepoObjects(
  repo: RepoSnapshot,
): Promise<RepoObject[]> {
  const paths = (await repo.files()).filter(isManifestPath);
  const texts = await Promise.all(paths.map(p => repo.read(p)));
  const out: RepoObject[] = [];
  paths.forEach((path, i) => {
    const text = texts[i];
    if (text === undefined || text.length > MAX_BYTES) return;
    out.push(...parseObjects(path, text));
  });
  return out;
}

/** The objects of one file's text. */
export function parseObjects(path: string, text: string): RepoObject[] {
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  const out: RepoObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (!(doc instanceof Document) || doc.errors.length > 0) continue;
    const object = doc.toJS({ maxAliasCount: 1000 });
    if (object && typeof object === 'object' && !Array.isArray(object)) {
      out.push({ path, dir, object, doc, text });
    }
  }
  return out;
}

/** Objects of a kind (and, when given, an apiVersion group). */
export function ofKind(
  objects: RepoObject[],
  kind: string,
  group?: string,
): RepoObject[] {
  return objects.filter(
    o =>
      o.object.kind === kind &&
      (group === undefined ||
        String(o.object.apiVersion ?? '').startsWith(`${group}/`)),
  );
}

/** The last path segment. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
