import { GitopsConfig } from '../config';
import { findApp } from './layout/findApp';
import { readObjects, usesDocumentMarker } from './layout/repoStyle';
import { LayoutName, PlannedFile } from './layout/types';
import { wireEnvFrom } from './layout/envFrom';
import {
  editYaml,
  insertSorted,
  manifestFile,
  rootSeq,
  withMarker,
} from './layout/yamlFiles';
import { RepoSnapshot } from './repo/RepoSnapshot';
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
};

/**
 * Where the SealedSecret goes and what else changes (kustomization, optional
 * envFrom), checked against the repo. The values are sealed here, with the
 * namespace/name the Secret will finally have.
 */
export async function planSecret(
  repo: RepoSnapshot,
  request: SecretRequest,
  sealed: { data: Map<string, Buffer>; scope: SealScope; secretName: string },
  certificate: () => Promise<SealingCertificate>,
  config: GitopsConfig,
  problems: Problems,
): Promise<SecretPlan | undefined> {
  const app = await findApp(
    repo,
    config,
    request.app,
    request.layout,
    problems,
    request.namespace,
  );
  if (!app) return undefined;
  if (!checkAppNamespace(problems, app, config.reservedNamespaces))
    return undefined;
  const files = await repo.files();
  const inApp = files.filter(
    f => f.startsWith(`${app.manifestsPath}/`) && /\.ya?ml$/.test(f),
  );
  const appObjects = await readObjects(repo, inApp);
  const markers = usesDocumentMarker(appObjects.map(o => o.text));
  const clash = appObjects.find(
    o =>
      (o.object.kind === 'SealedSecret' || o.object.kind === 'Secret') &&
      o.object.metadata?.name === sealed.secretName,
  );
  if (clash) {
    problems.add(
      'secretName',
      'secret-exists',
      `a ${clash.object.kind} named "${sealed.secretName}" already exists in ${clash.path}; choose another name`,
    );
    return undefined;
  }
  let fileName = `secret-${sealed.secretName}.yaml`;
  if (app.layout === 'flux') {
    fileName = files.includes(`${app.manifestsPath}/sealedsecret.yaml`)
      ? `sealedsecret-${sealed.secretName}.yaml`
      : 'sealedsecret.yaml';
  }
  const secretPath = `${app.manifestsPath}/${fileName}`;

  const planned: PlannedFile[] = [];
  const kustomization = (await repo.read(app.kustomizationPath))!;
  let registered: string;
  try {
    registered = editYaml(kustomization, doc => {
      const entry = app.layout === 'flux' ? `./${fileName}` : fileName;
      insertSorted(rootSeq(doc, 'resources'), entry, v => /\.ya?ml$/.test(v));
    });
  } catch (error) {
    problems.add(
      'app',
      'app-kustomization',
      `${app.kustomizationPath} cannot be edited: ${(error as Error).message}`,
    );
    return undefined;
  }
  planned.push({
    path: app.kustomizationPath,
    content: registered,
    action: 'update',
  });

  if (request.envFrom) {
    const wired = await wireEnvFrom(repo, app, sealed.secretName);
    if (wired.error) {
      problems.add('envFrom', 'env-from', wired.error);
      return undefined;
    }
    if (wired.file) planned.push(wired.file);
  }
  if (!problems.empty) return undefined;

  // Last: only a request that passed everything gets sealed.
  const cert = await certificate();
  const manifest = sealSecret({
    publicKey: cert.publicKey,
    namespace: app.namespace,
    name: sealed.secretName,
    scope: sealed.scope,
    data: sealed.data,
    type: request.type || 'Opaque',
    labels: {
      'app.kubernetes.io/name': app.name,
      'app.kubernetes.io/instance': app.name,
    },
    // Flux sets the namespace through the Kustomization's targetNamespace.
    writeNamespace: app.layout === 'argocd',
  });
  planned.unshift({
    path: secretPath,
    content:
      app.layout === 'flux'
        ? manifestFile(
            manifest,
            'https://k8s-schemas.home-operations.com/bitnami.com/sealedsecret_v1alpha1.json',
          )
        : withMarker(manifestFile(manifest), markers),
    action: 'create',
  });
  return {
    files: planned,
    secretPath,
    secretName: sealed.secretName,
    namespace: app.namespace,
    kustomizationPath: app.kustomizationPath,
    layout: app.layout,
  };
}
