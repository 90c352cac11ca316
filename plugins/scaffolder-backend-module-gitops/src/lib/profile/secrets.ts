import { DocumentStyle } from './documentStyle';
import { baseName, ofKind, RepoObject } from './repoObjects';
import { Convention, Tally } from './tally';
import { normalize } from './normalize';

export type SecretManagementKind =
  | 'sealed-secrets'
  | 'external-secrets'
  | 'sops'
  | 'none';

/** The way the repository keeps secrets, and what it was read from. */
export type SecretManagement = {
  kind: SecretManagementKind;
  /** SealedSecret objects */
  sealedSecrets: number;
  /** the repository installs the sealed-secrets controller itself */
  sealedController?: string;
  externalSecrets: number;
  /** the store most ExternalSecrets read from, `ClusterSecretStore/onepassword` */
  store?: Convention<{ kind: string; name: string }>;
  /** files encrypted with SOPS (a top-level `sops:` block) */
  sopsFiles: number;
  /** `.sops.yaml` creation rules exist */
  sopsConfig: boolean;
  /** one sentence: what was found */
  summary: string;
};

/** Something in the repository that deploys the sealed-secrets controller. */
function sealedSecretsController(objects: RepoObject[]): string | undefined {
  const names: Record<string, (o: Record<string, any>) => unknown> = {
    HelmRelease: o => [o.spec?.chart?.spec?.chart, o.spec?.chartRef?.name],
    OCIRepository: o => o.spec?.url,
    HelmRepository: o => o.spec?.url,
    Application: o => [o.spec?.source?.chart, o.spec?.source?.path],
    Kustomization: o => (o.helmCharts ?? []).map((c: any) => c?.name),
    Deployment: o => o.metadata?.name,
  };
  const found = objects.find(o => {
    const name = names[o.object.kind];
    return (
      !!name && /sealed-secrets/.test(JSON.stringify(name(o.object)) ?? '')
    );
  });
  return found?.path;
}

/**
 * Reads how secrets are kept: SealedSecrets (objects, or a controller the
 * repository installs), ExternalSecrets (and their store), SOPS-encrypted
 * files. SealedSecrets win when they are there at all: the controller runs.
 */
export function secretManagement(
  objects: RepoObject[],
  files: string[],
): SecretManagement {
  const sealed = ofKind(objects, 'SealedSecret').length;
  const controller = sealedSecretsController(objects);
  const externals = ofKind(objects, 'ExternalSecret');
  const stores = new Tally<{ kind: string; name: string }>(
    externals.map(e => {
      const ref = e.object.spec?.secretStoreRef;
      return ref?.name
        ? { kind: String(ref.kind ?? 'SecretStore'), name: String(ref.name) }
        : undefined;
    }),
  );
  const sopsFiles = new Set(
    objects
      .filter(o => o.object.sops && typeof o.object.sops === 'object')
      .map(o => o.path),
  ).size;
  const sopsConfig = files.some(f => baseName(f) === '.sops.yaml');
  const store = stores.mostCommon('ExternalSecrets');
  let kind: SecretManagementKind = 'none';
  if (sealed > 0 || controller) kind = 'sealed-secrets';
  else if (externals.length > 0) kind = 'external-secrets';
  else if (sopsFiles > 0 || sopsConfig) kind = 'sops';
  const parts = [
    `${sealed} SealedSecret${sealed === 1 ? '' : 's'}${
      controller ? ` and the controller (${controller})` : ''
    }`,
    `${externals.length} ExternalSecret${externals.length === 1 ? '' : 's'}${
      store ? ` (most from ${store.value.kind} ${store.value.name})` : ''
    }`,
    `${sopsFiles} SOPS-encrypted file${sopsFiles === 1 ? '' : 's'}${
      sopsConfig ? ' and a .sops.yaml' : ''
    }`,
  ];
  return {
    kind,
    sealedSecrets: sealed,
    sealedController: controller,
    externalSecrets: externals.length,
    store,
    sopsFiles,
    sopsConfig,
    summary: parts.join(', '),
  };
}

/** How the repository's ExternalSecrets are written, to write one more like them. */
export type ExternalSecretStyle = {
  apiVersion: string;
  /** most use `dataFrom: [{extract: {key}}]` rather than `data:` entries */
  extract: boolean;
  /** the ExternalSecret's own name, with the placeholder for the app */
  name?: string;
  /** target Secret name with the placeholder for the app (e.g. `<app>-secret`) */
  targetName?: string;
  refreshInterval?: string;
  creationPolicy?: string;
  /** file name with the placeholder, e.g. `externalsecret.yaml` */
  fileName: string;
  style: DocumentStyle;
};

/** The majority shape of the repository's ExternalSecrets. */
export function externalSecretStyle(
  objects: RepoObject[],
  appOf: (o: RepoObject) => string | undefined,
): ExternalSecretStyle {
  const externals = ofKind(objects, 'ExternalSecret');
  const common = <T>(get: (o: RepoObject) => T | undefined) =>
    new Tally<T>(externals.map(get)).majority('ExternalSecrets')?.value;
  const name = (o: RepoObject) => appOf(o);
  const style = new DocumentStyle();
  for (const e of externals) style.learn(e, name(e));
  return {
    style,
    apiVersion:
      new Tally(externals.map(e => String(e.object.apiVersion))).mostCommon(
        'ExternalSecrets',
      )?.value ?? 'external-secrets.io/v1',
    extract:
      externals.filter(e => Array.isArray(e.object.spec?.dataFrom)).length * 2 >
      externals.length,
    name: common(o =>
      o.object.metadata?.name
        ? String(normalize(o.object.metadata.name, name(o)))
        : undefined,
    ),
    targetName: common(o =>
      o.object.spec?.target?.name
        ? String(normalize(o.object.spec.target.name, name(o)))
        : undefined,
    ),
    refreshInterval: common(o => o.object.spec?.refreshInterval),
    creationPolicy: common(o => o.object.spec?.target?.creationPolicy),
    fileName:
      new Tally(
        externals.map(e => String(normalize(baseName(e.path), name(e)))),
      ).mostCommon('ExternalSecrets')?.value ?? 'externalsecret.yaml',
  };
}
