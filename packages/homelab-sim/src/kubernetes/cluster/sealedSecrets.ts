import { generateKeyPairSync, KeyObject } from 'node:crypto';
import type { Scenario } from '../../scenario/schema';
import {
  hybridEncrypt,
  scopeFromAnnotations,
  scopeLabel,
  SealedSecretObject,
  sealValue,
  unsealValue,
} from '../../sealedSecrets/crypto';
import type { SealingKeys } from '../../sealedSecrets/keys';
import type { KubeObject } from './ClusterModel';
import { iso } from './identity';
import { staticMeta } from './objectMeta';
import type { Topology } from './topology';

type Unsealed = { condition: Record<string, unknown>; secret?: KubeObject };

/**
 * The sealed-secrets controller's reconcile loop (pkg/controller/controller.go
 * at the commit of notes/gitops-sealed-secrets-httproute.md §1): each
 * SealedSecret that opens with the controller's key becomes a Secret it
 * owns, with the template's type, labels and annotations, and gets
 * condition Synced=True; one that does not gets Synced=False with the
 * controller's message ("no key could decrypt secret (KEY, ...)").
 */
export class SealedSecretsReconciler {
  private seeded?: KubeObject[];
  private readonly cache = new Map<string, Unsealed>();

  constructor(
    private readonly t: Topology,
    private readonly secrets: Scenario['kubernetes']['secrets'],
    private readonly keys: SealingKeys,
  ) {}

  /** The scenario's SealedSecrets, sealed once (sealing is randomised). */
  seededObjects(): KubeObject[] {
    if (this.seeded) return this.seeded;
    let foreign: KeyObject | undefined;
    this.seeded = this.secrets.map(s => {
      const createdAt =
        this.t.namespaces.find(n => n.name === s.namespace)?.createdAt ??
        this.t.clusterCreatedAt;
      const target = {
        namespace: s.namespace,
        name: s.name,
        scope: 'strict' as const,
      };
      const encryptedData: Record<string, string> = {};
      for (const key of s.keys) {
        const value = this.t.id.hex(
          `secret:${s.namespace}/${s.name}/${key}`,
          24,
        );
        if (s.foreignKey) {
          // Sealed for another cluster: a key this controller never had.
          foreign ??= generateKeyPairSync('rsa', {
            modulusLength: 2048,
          }).publicKey;
          encryptedData[key] = hybridEncrypt(
            foreign,
            Buffer.from(value),
            scopeLabel('strict', s.namespace, s.name),
          ).toString('base64');
        } else {
          encryptedData[key] = sealValue(
            this.keys.certificatePem,
            target,
            value,
          );
        }
      }
      return {
        apiVersion: 'bitnami.com/v1alpha1',
        kind: 'SealedSecret',
        metadata: {
          ...staticMeta(this.t, 'SealedSecret', s.name, s.namespace, createdAt),
          generation: 1,
        },
        spec: {
          encryptedData,
          template: {
            metadata: { name: s.name, namespace: s.namespace },
            type: 'Opaque',
          },
        },
      };
    });
    return this.seeded;
  }

  /** SealedSecrets with their status, and the Secrets the controller made. */
  reconcile(sealed: KubeObject[]): {
    sealed: KubeObject[];
    secrets: KubeObject[];
  } {
    const secrets: KubeObject[] = [];
    const withStatus = sealed.map(s => {
      const result = this.unseal(s);
      if (result.secret) secrets.push(result.secret);
      return {
        ...s,
        status: {
          conditions: [result.condition],
          observedGeneration: s.metadata.generation ?? 1,
        },
      };
    });
    return { sealed: withStatus, secrets };
  }

  private unseal(s: KubeObject): Unsealed {
    const cacheKey = `${s.metadata.uid}@${s.metadata.resourceVersion}`;
    const cached = this.cache.get(cacheKey);
    if (cached) return cached;
    const object = s as unknown as SealedSecretObject & KubeObject;
    const { name, namespace = '' } = object.metadata;
    const target = {
      namespace,
      name,
      scope: scopeFromAnnotations(object.metadata.annotations),
    };
    const failed: string[] = [];
    const data: Record<string, string> = {};
    for (const [key, value] of Object.entries(
      object.spec?.encryptedData ?? {},
    )) {
      try {
        data[key] = unsealValue(this.keys.privateKeys, target, value).toString(
          'base64',
        );
      } catch {
        failed.push(key);
      }
    }
    // Seen by the controller a few seconds after it was written.
    const at = iso(Date.parse(String(s.metadata.creationTimestamp)) + 3_000);
    const condition: Record<string, unknown> = {
      type: 'Synced',
      status: failed.length ? 'False' : 'True',
      lastTransitionTime: at,
      lastUpdateTime: at,
      ...(failed.length && {
        message: `no key could decrypt secret (${failed.sort().join(', ')})`,
      }),
    };
    const template = object.spec?.template ?? {};
    const templateMeta = (template.metadata ?? {}) as {
      labels?: Record<string, string>;
      annotations?: Record<string, string>;
    };
    const result: Unsealed = { condition };
    if (!failed.length) {
      result.secret = {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          ...staticMeta(
            this.t,
            'Secret',
            name,
            namespace,
            Date.parse(String(s.metadata.creationTimestamp)) + 3_000,
          ),
          ...(templateMeta.labels && { labels: templateMeta.labels }),
          ...(templateMeta.annotations && {
            annotations: templateMeta.annotations,
          }),
          ownerReferences: [
            {
              apiVersion: 'bitnami.com/v1alpha1',
              kind: 'SealedSecret',
              name,
              uid: s.metadata.uid as string,
              controller: true,
            },
          ],
        },
        type: template.type ?? 'Opaque',
        ...(template.immutable !== undefined && {
          immutable: template.immutable,
        }),
        data,
      };
    }
    if (this.cache.size > 1000) this.cache.clear();
    this.cache.set(cacheKey, result);
    return result;
  }
}
