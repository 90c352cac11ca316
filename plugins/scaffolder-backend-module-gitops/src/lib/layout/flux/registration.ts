import { registerEntry } from '../register';
import { editYaml, rootSeq } from '../yamlFiles';

/** An app's entry in its namespace folder's kustomization: `./<app>/ks.yaml`. */
export const KS_ENTRY = /^\.\/[^/]+\/ks\.ya?ml$/;

/** The namespace folder's kustomization with the app's ks.yaml listed among the others. */
export function registerKs(text: string, app: string): string {
  return editYaml(text, doc => {
    registerEntry(rootSeq(doc, 'resources'), `./${app}/ks.yaml`, v =>
      KS_ENTRY.test(v),
    );
  });
}

/** The apps folder's kustomization with a new namespace folder listed among the others. */
export function registerNamespaceFolder(
  text: string,
  namespace: string,
): string {
  return editYaml(text, doc => {
    registerEntry(rootSeq(doc, 'resources'), `./${namespace}`, v =>
      /^\.\/[^/.]+\/?$/.test(v),
    );
  });
}
