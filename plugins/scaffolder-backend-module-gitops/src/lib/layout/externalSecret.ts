import { withName } from '../profile/normalize';
import { RepoProfile } from '../profile/RepoProfile';
import { renderFile } from './render';

/** The Secret an ExternalSecret for this app makes, named as the repository names them. */
export function externalSecretTarget(
  profile: RepoProfile,
  app: string,
  fallback?: string,
) {
  const style = profile.externalSecrets;
  return style.targetName
    ? withName(style.targetName, app)
    : fallback ?? `${app}-secret`;
}

/**
 * An ExternalSecret like the repository's others: its store, its shape
 * (`dataFrom.extract` of one item, or `data` entries per key), its names.
 */
export function externalSecretManifest(
  profile: RepoProfile,
  options: { app: string; namespace?: string; key: string; keys: string[] },
) {
  const style = profile.externalSecrets;
  const store = profile.secrets.store!.value;
  const target = externalSecretTarget(profile, options.app);
  return {
    apiVersion: style.apiVersion,
    kind: 'ExternalSecret',
    metadata: {
      name: style.name ? withName(style.name, options.app) : target,
      ...(options.namespace && { namespace: options.namespace }),
    },
    spec: {
      ...(style.refreshInterval && { refreshInterval: style.refreshInterval }),
      secretStoreRef: { kind: store.kind, name: store.name },
      target: {
        name: target,
        ...(style.creationPolicy && { creationPolicy: style.creationPolicy }),
      },
      ...(style.extract || options.keys.length === 0
        ? { dataFrom: [{ extract: { key: options.key } }] }
        : {
            data: options.keys.map(k => ({
              secretKey: k,
              remoteRef: { key: options.key, property: k },
            })),
          }),
    },
  };
}

/** The ExternalSecret's file name in the repository's spelling. */
export function externalSecretFileName(profile: RepoProfile, app: string) {
  return withName(profile.externalSecrets.fileName, app);
}

/**
 * The app's ExternalSecret as a file of its manifests folder: its name and
 * content in the repository's style, and why it is there.
 */
export function externalSecretFile(
  profile: RepoProfile,
  app: string,
  secret: { key: string; keys?: string[] },
  namespace?: string,
): { file: string; content: string; reason: string } {
  const store = profile.secrets.store!.value;
  return {
    file: externalSecretFileName(profile, app),
    content: renderFile(
      externalSecretManifest(profile, {
        app,
        ...(namespace && { namespace }),
        key: secret.key,
        keys: secret.keys ?? [],
      }),
      profile.externalSecrets.style,
      { name: app },
    ),
    reason: `the ExternalSecret reading "${secret.key}" from ${store.kind} ${store.name}`,
  };
}
