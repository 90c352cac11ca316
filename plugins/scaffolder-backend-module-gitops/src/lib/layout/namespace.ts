/** A Namespace manifest. */
export function namespaceManifest(name: string) {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}
