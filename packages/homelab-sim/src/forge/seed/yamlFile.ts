import { Document, isMap, isScalar } from 'yaml';

/**
 * One YAML file in the style of the home-ops repositories: `---`, a
 * `yaml-language-server` schema comment, two-space indent, sequences indented
 * under their key, no line folding.
 */
export function yamlFile(
  value: unknown,
  options: {
    schema?: string;
    comment?: string;
    /** Comment lines above top-level keys. */
    keyComments?: Record<string, string>;
  } = {},
): string {
  const doc = new Document(value);
  if (options.keyComments && isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      const text = key && options.keyComments[key];
      if (text && isScalar(pair.key)) pair.key.commentBefore = ` ${text}`;
    }
  }
  const head = ['---'];
  if (options.schema)
    head.push(`# yaml-language-server: $schema=${options.schema}`);
  if (options.comment)
    head.push(...options.comment.split('\n').map(l => `# ${l}`));
  return `${head.join('\n')}\n${doc.toString({
    lineWidth: 0,
    indentSeq: true,
  })}`;
}

/** Several objects in one file, separated by `---` (raw manifests in Argo CD repos). */
export function yamlDocuments(values: unknown[]): string {
  return values
    .map(
      v =>
        `---\n${new Document(v).toString({ lineWidth: 0, indentSeq: true })}`,
    )
    .join('');
}

export const SCHEMAS = {
  kustomization: 'https://json.schemastore.org/kustomization',
  fluxKustomization:
    'https://k8s-schemas.home-operations.com/kustomize.toolkit.fluxcd.io/kustomization_v1.json',
  ociRepository:
    'https://k8s-schemas.home-operations.com/source.toolkit.fluxcd.io/ocirepository_v1.json',
  helmRelease:
    'https://raw.githubusercontent.com/bjw-s-labs/helm-charts/main/charts/other/app-template/schemas/helmrelease-helm-v2.schema.json',
};
