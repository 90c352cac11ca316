import { GitopsConfig } from '../config';
import { LayoutName } from './layout/types';
import { AppSpec } from './layout/types';
import { checkHostname } from './validation/hostname';
import { checkImage } from './validation/image';
import {
  checkAppName,
  checkDns1123Label,
  checkEnvName,
  checkMountPath,
  checkNamespace,
  checkObjectName,
  checkPort,
  checkSecretKey,
  checkStorageSize,
} from './validation/names';
import { Problems } from './validation/problems';
import { hasControlCharacters } from './validation/text';

/** What homelab:app:generate takes (before validation). */
export type AppRequest = {
  name: string;
  title?: string;
  description: string;
  owner: string;
  system?: string;
  namespace: string;
  category?: string;
  image: string;
  port: number;
  hostname?: string;
  exposure?: string;
  persistence?: { size?: string; mountPath?: string; storageClass?: string };
  env?: Array<{ name: string; value: string }>;
  secretName?: string;
  externalSecret?: { key?: string; keys?: string[] } | null;
  layout?: 'auto' | LayoutName;
};

/** An item name in a secret store (1Password, Bitwarden, Vault paths). */
const STORE_KEY = /^[A-Za-z0-9][-A-Za-z0-9_./]*$/;

const ENTITY_REF =
  /^([a-z][a-z0-9-]*:)?([a-z0-9][-a-z0-9_.]*\/)?[a-z0-9][-a-z0-9_.]*$/i;

/**
 * Checks every field that does not need the repository, and turns the
 * request into an AppSpec. Problems are added, never thrown.
 */
export function validateAppRequest(
  input: AppRequest,
  config: GitopsConfig,
  problems: Problems,
): AppSpec | undefined {
  checkAppName(problems, 'name', input.name);
  checkNamespace(
    problems,
    'namespace',
    input.namespace,
    config.reservedNamespaces,
  );
  if (input.category !== undefined && input.category !== '') {
    checkDns1123Label(problems, 'category', input.category);
  }
  const image = checkImage(problems, 'image', input.image);
  checkPort(problems, 'port', input.port);
  if (
    typeof input.description !== 'string' ||
    input.description.trim() === ''
  ) {
    problems.add(
      'description',
      'required',
      'is required: one sentence on what the app is for',
    );
  } else if (input.description.length > 300) {
    problems.add('description', 'max-length', 'is longer than 300 characters');
  }
  if (typeof input.owner !== 'string' || !ENTITY_REF.test(input.owner)) {
    problems.add(
      'owner',
      'entity-ref',
      `${JSON.stringify(
        input.owner,
      )} is not an entity reference such as group:home-admins`,
    );
  }
  if (input.system && !ENTITY_REF.test(input.system)) {
    problems.add(
      'system',
      'entity-ref',
      `${JSON.stringify(input.system)} is not an entity reference`,
    );
  }
  if (input.title !== undefined && input.title.length > 100) {
    problems.add('title', 'max-length', 'is longer than 100 characters');
  } else if (input.title !== undefined && hasControlCharacters(input.title)) {
    // It becomes a pull request title and a catalog title: one line.
    problems.add(
      'title',
      'one-line',
      'must be one line, without line breaks or tabs',
    );
  }

  let gateway;
  if (input.hostname) {
    checkHostname(problems, 'hostname', input.hostname, config.allowedDomains);
    const exposure = input.exposure || 'internal';
    gateway = config.gateways[exposure];
    if (!gateway) {
      problems.add(
        'exposure',
        'gateway',
        `"${exposure}" is not a configured Gateway; choose one of: ${
          Object.keys(config.gateways).join(', ') ||
          '(none configured in homelab.gitops.gateways)'
        }`,
      );
    }
  }

  let persistence: AppSpec['persistence'];
  if (input.persistence?.size) {
    const mountPath = input.persistence.mountPath || '/data';
    checkStorageSize(problems, 'persistence.size', input.persistence.size);
    checkMountPath(problems, 'persistence.mountPath', mountPath);
    if (input.persistence.storageClass) {
      checkObjectName(
        problems,
        'persistence.storageClass',
        input.persistence.storageClass,
      );
    }
    persistence = {
      size: input.persistence.size,
      mountPath,
      storageClass: input.persistence.storageClass || undefined,
    };
  }

  const env: Array<{ name: string; value: string }> = [];
  const seen = new Set<string>(config.timezone ? ['TZ'] : []);
  (input.env ?? []).forEach((e, i) => {
    if (!e || (!e.name && !e.value)) return;
    const field = `env[${i}].name`;
    if (!checkEnvName(problems, field, e.name)) return;
    if (seen.has(e.name)) {
      problems.add(field, 'env-duplicate', `"${e.name}" is set twice`);
      return;
    }
    seen.add(e.name);
    if (typeof e.value !== 'string') {
      problems.add(`env[${i}].value`, 'env-value', 'must be text');
      return;
    }
    env.push({ name: e.name, value: e.value });
  });
  if (input.secretName)
    checkObjectName(problems, 'secretName', input.secretName);
  let externalSecret: AppSpec['externalSecret'];
  if (input.externalSecret?.key) {
    const { key, keys = [] } = input.externalSecret;
    if (key.length > 253 || !STORE_KEY.test(key)) {
      problems.add(
        'externalSecret.key',
        'store-key',
        `"${key}" is not an item name of a secret store: letters, digits and -_./, at most 253 characters`,
      );
    }
    keys.forEach((k, i) => {
      if (k) checkSecretKey(problems, `externalSecret.keys[${i}]`, k);
    });
    externalSecret = { key, keys: keys.filter(Boolean) };
    if (input.secretName) {
      // The app would read one Secret: the sealed values would be dropped.
      problems.add(
        'externalSecret',
        'one-secret-source',
        `both values to seal (${input.secretName}) and an item in the secret store ("${key}") were given; choose one`,
      );
    }
  }

  if (!problems.empty || !image) return undefined;
  return {
    name: input.name,
    title: input.title || input.name,
    description: input.description.trim(),
    owner: input.owner,
    system: input.system || undefined,
    namespace: input.namespace,
    category: input.category || undefined,
    image,
    port: input.port,
    hostname: input.hostname || undefined,
    gateway,
    persistence,
    env,
    secretName: input.secretName || undefined,
    externalSecret,
    timezone: config.timezone,
  };
}
