import { toError } from '@backstage/errors';
import { GitopsConfig } from '../config';
import { findApp } from './layout/findApp';
import { LayoutName, PlannedFile } from './layout/types';
import { wireEnvFrom } from './layout/envFrom';
import { registerResource } from './layout/register';
import { renderFile } from './layout/render';
import { sealingAllowed } from './layout/secretPolicy';
import { DocumentStyle } from './profile/documentStyle';
import { resourceKey } from './profile/kustomizations';
import { normalize, withName } from './profile/normalize';
import { RepoProfile } from './profile/RepoProfile';
import { baseName } from './profile/repoObjects';
import { explain, presence, Tally } from './profile/tally';
import { SealingCertificate } from './sealing/certificate';
import { SEAL_SCOPES, sealSecret, SealScope } from './sealing/seal';
import {
  checkAppName,
  checkAppNamespace,
  checkNamespace,
  checkObjectName,
  checkSecretKey,
} from './validation/names';
import { Problems } from './validation/problems';

export type SecretEntry = {
  /** the key in the Secret (an env var name when the app reads it with envFrom) */
  key?: string;
  /** the name of the template secret (`ui:field: Secret`) holding the value */
  secret: string;
  /** text (default) or base64 for binary values */
  encoding?: 'text' | 'base64';
};

export type SecretRequest = {
  app: string;
  namespace?: string;
  secretName?: string;
  scope?: string;
  type?: string;
  values: SecretEntry[];
  envFrom?: boolean;
  layout?: 'auto' | LayoutName;
};

const SECRET_TYPE = /^[a-zA-Z0-9][-a-zA-Z0-9_./]*$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Checks the request and reads the values from the task's secrets. Values
 * are returned as bytes and never appear in a problem message.
 */
export function readSecretRequest(
  input: SecretRequest,
  secrets: Record<string, string> | undefined,
  config: GitopsConfig,
  problems: Problems,
): { data: Map<string, Buffer>; scope: SealScope; secretName: string } {
  checkAppName(problems, 'app', input.app);
  if (input.namespace) {
    checkNamespace(
      problems,
      'namespace',
      input.namespace,
      config.reservedNamespaces,
    );
  }
  const secretName = input.secretName || `${input.app}-secret`;
  checkObjectName(problems, 'secretName', secretName);
  const scope = (input.scope || config.sealedSecrets.defaultScope) as SealScope;
  if (!SEAL_SCOPES.includes(scope)) {
    problems.add(
      'scope',
      'seal-scope',
      `"${input.scope}" is not a scope; use one of ${SEAL_SCOPES.join(', ')}`,
    );
  }
  if (input.type && !SECRET_TYPE.test(input.type)) {
    problems.add(
      'type',
      'secret-type',
      `"${input.type}" is not a Secret type such as Opaque`,
    );
  }
  const data = new Map<string, Buffer>();
  (input.values ?? []).forEach((entry, i) => {
    const value = entry?.secret ? secrets?.[entry.secret] : undefined;
    // An untouched optional row: no key and no value.
    if (!entry?.key && !value) return;
    if (!checkSecretKey(problems, `values[${i}].key`, entry.key ?? '')) return;
    const key = entry.key!;
    if (data.has(key)) {
      problems.add(
        `values[${i}].key`,
        'secret-key-duplicate',
        `"${key}" is given twice`,
      );
      return;
    }
    if (typeof value !== 'string' || value.length === 0) {
      problems.add(
        `values[${i}]`,
        'secret-value-missing',
        `no value for "${key}": the form's secret field "${
          entry.secret ?? '?'
        }" is empty`,
      );
      return;
    }
    if (entry.encoding === 'base64') {
      const compact = value.replace(/\s+/g, '');
      if (compact.length % 4 !== 0 || !BASE64.test(compact)) {
        problems.add(
          `values[${i}]`,
          'secret-value-base64',
          `the value for "${key}" is not valid base64`,
        );
        return;
      }
      data.set(key, Buffer.from(compact, 'base64'));
    } else {
      data.set(key, Buffer.from(value, 'utf8'));
    }
  });
  if (
    data.size === 0 &&
    problems.list.every(p => !p.field.startsWith('values'))
  ) {
    problems.add(
      'values',
      'secret-values-empty',
      'there is nothing to seal: give at least one key and value',
    );
  }
  return { data, scope, secretName };
}

export type SecretPlan = {
  files: PlannedFile[];
  secretPath: string;
  secretName: string;
  namespace: string;
  kustomizationPath: string;
  layout: LayoutName;
  /** the app's name */
  app: string;
  notes: string[];
};

/** How the repository names and writes its SealedSecrets. */
function sealedSecretStyle(profile: RepoProfile) {
  const appOf = new Map(
    (profile.layout?.apps ?? []).map(a => [a.manifestsPath, a.name]),
  );
  const sealed = profile.objects.filter(
    o => o.object.kind === 'SealedSecret' && appOf.has(o.dir),
  );
  const style = new DocumentStyle();
  for (const s of sealed) style.learn(s, appOf.get(s.dir));
  const fileName = new Tally(
    sealed.map(s => {
      const own = String(s.object.metadata?.name ?? '');
      const file = baseName(s.path);
      return own && file.includes(own)
        ? file.replace(own, '<secret>')
        : String(normalize(file, appOf.get(s.dir)));
    }),
  ).mostCommon('SealedSecret files');
  const labelled = presence(
    sealed.map(s => !!s.object.spec?.template?.metadata?.labels),
    'SealedSecrets',
  );
  return { style, fileName, labelled, count: sealed.length };
}

/**
 * Where the SealedSecret goes and what else changes (kustomization, optional
 * envFrom), checked against the repository's profile. Refused, before
 * anything is sealed, where nothing would decrypt it. The values are sealed
 * here, with the namespace/name the Secret will finally have.
 */
export async function planSecret(
  profile: RepoProfile,
  request: SecretRequest,
  sealed: { data: Map<string, Buffer>; scope: SealScope; secretName: string },
  certificate: () => Promise<SealingCertificate>,
  config: GitopsConfig,
  problems: Problems,
): Promise<SecretPlan | undefined> {
  // First: a SealedSecret in an ExternalSecrets or SOPS repository, or an
  // app pointed at a Secret that will never exist, would break the app.
  if (!sealingAllowed(profile, problems, 'app')) return undefined;
  const app = findApp(profile, request.app, problems, request.namespace);
  if (!app) return undefined;
  if (!checkAppNamespace(problems, app, config.reservedNamespaces))
    return undefined;
  const appObjects = profile.objects.filter(o => o.dir === app.manifestsPath);
  const clash = appObjects.find(
    o =>
      (o.object.kind === 'SealedSecret' ||
        o.object.kind === 'Secret' ||
        o.object.kind === 'ExternalSecret') &&
      (o.object.metadata?.name === sealed.secretName ||
        o.object.spec?.target?.name === sealed.secretName),
  );
  if (clash) {
    problems.add(
      'secretName',
      'secret-exists',
      `a ${clash.object.kind} for "${sealed.secretName}" already exists in ${clash.path}; choose another name`,
    );
    return undefined;
  }
  const style = sealedSecretStyle(profile);
  const notes: string[] = [
    profile.secrets.kind === 'none'
      ? `no secret management found in the repository (${profile.secrets.summary}): sealed for the controller configured in the portal`
      : `secrets as SealedSecrets: ${profile.secrets.summary}`,
  ];
  const fallback =
    app.layout === 'flux' ? 'sealedsecret.yaml' : 'secret-<secret>.yaml';
  let fileName = withName(style.fileName?.value ?? fallback, app.name).replace(
    '<secret>',
    sealed.secretName,
  );
  if (style.fileName)
    notes.push(
      `file name like ${style.fileName.value}: ${explain(style.fileName)}`,
    );
  if (profile.files.includes(`${app.manifestsPath}/${fileName}`)) {
    fileName = fileName.replace(/\.ya?ml$/, `-${sealed.secretName}.yaml`);
  }
  const secretPath = `${app.manifestsPath}/${fileName}`;

  const planned: PlannedFile[] = [];
  const kustomization = appObjects.find(o => o.path === app.kustomizationPath)!;
  const dotted = (kustomization.object.resources ?? []).some((r: string) =>
    String(r).startsWith('./'),
  );
  const entry = dotted ? `./${fileName}` : fileName;
  let registered: string;
  try {
    registered = registerResource(
      kustomization.text,
      entry,
      profile.kustomizations.order,
      e => resourceKey(e, app.name, [sealed.secretName]),
    );
  } catch (error) {
    problems.add(
      'app',
      'app-kustomization',
      `${app.kustomizationPath} cannot be edited: ${toError(error).message}`,
    );
    return undefined;
  }
  planned.push({
    path: app.kustomizationPath,
    content: registered,
    action: 'update',
    reason: `registers ${entry}`,
  });

  if (request.envFrom) {
    const wired = wireEnvFrom(profile, app, sealed.secretName);
    if (wired.error) {
      problems.add('envFrom', 'env-from', wired.error);
      return undefined;
    }
    if (wired.file) planned.push(wired.file);
  }
  if (!problems.empty) return undefined;

  // Last: only a request that passed everything gets sealed.
  const cert = await certificate();
  const explicit = presence(
    appObjects
      .filter(o => o.object.kind !== 'Kustomization')
      .map(o => !!o.object.metadata?.namespace),
    `manifests of ${app.name}`,
  );
  const manifest = sealSecret({
    publicKey: cert.publicKey,
    namespace: app.namespace,
    name: sealed.secretName,
    scope: sealed.scope,
    data: sealed.data,
    type: request.type || 'Opaque',
    labels: style.labelled.value
      ? { 'app.kubernetes.io/name': app.name }
      : undefined,
    // Flux's targetNamespace (or the kustomization's namespace:) sets it otherwise.
    writeNamespace: app.layout === 'argocd' && explicit.value,
  });
  planned.unshift({
    path: secretPath,
    content: renderFile(manifest, style.count > 0 ? style.style : undefined, {
      name: app.name,
      schema:
        app.layout === 'flux'
          ? 'https://k8s-schemas.home-operations.com/bitnami.com/sealedsecret_v1alpha1.json'
          : undefined,
    }),
    action: 'create',
    reason: `SealedSecret ${sealed.secretName} (${sealed.scope}), sealed for namespace ${app.namespace}`,
  });
  return {
    files: planned,
    secretPath,
    secretName: sealed.secretName,
    namespace: app.namespace,
    kustomizationPath: app.kustomizationPath,
    layout: app.layout,
    app: app.name,
    notes,
  };
}
