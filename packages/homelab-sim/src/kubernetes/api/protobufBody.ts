import protobuf from 'protobufjs';
import { KubeError } from './status';

/**
 * kubectl sends built-in objects it creates through typed clients (the
 * SelfSubjectAccessReview of `kubectl auth can-i`, the Secret of `kubectl
 * create secret`, the ConfigMap of `kubectl create configmap`) as Kubernetes
 * protobuf: the magic `k8s\0`, then a runtime.Unknown whose `raw` is the
 * object. Field numbers are those of the generated.proto files of
 * k8s.io/api (authorization/v1, core/v1) and k8s.io/apimachinery
 * (pkg/runtime, pkg/apis/meta/v1), all proto2.
 */
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

const stringMap = (id: number) => ({ id, keyType: 'string', type: 'string' });
const bytesMap = (id: number) => ({ id, keyType: 'string', type: 'bytes' });

const root = protobuf.Root.fromJSON({
  nested: {
    Unknown: {
      fields: {
        typeMeta: { id: 1, type: 'TypeMeta' },
        raw: { id: 2, type: 'bytes' },
        contentEncoding: { id: 3, type: 'string' },
        contentType: { id: 4, type: 'string' },
      },
    },
    TypeMeta: {
      fields: {
        apiVersion: { id: 1, type: 'string' },
        kind: { id: 2, type: 'string' },
      },
    },
    ResourceAttributes: {
      fields: {
        namespace: { id: 1, type: 'string' },
        verb: { id: 2, type: 'string' },
        group: { id: 3, type: 'string' },
        version: { id: 4, type: 'string' },
        resource: { id: 5, type: 'string' },
        subresource: { id: 6, type: 'string' },
        name: { id: 7, type: 'string' },
      },
    },
    NonResourceAttributes: {
      fields: {
        path: { id: 1, type: 'string' },
        verb: { id: 2, type: 'string' },
      },
    },
    SelfSubjectAccessReviewSpec: {
      fields: {
        resourceAttributes: { id: 1, type: 'ResourceAttributes' },
        nonResourceAttributes: { id: 2, type: 'NonResourceAttributes' },
      },
    },
    SelfSubjectAccessReview: {
      fields: { spec: { id: 2, type: 'SelfSubjectAccessReviewSpec' } },
    },
    SelfSubjectRulesReviewSpec: {
      fields: { namespace: { id: 1, type: 'string' } },
    },
    SelfSubjectRulesReview: {
      fields: { spec: { id: 2, type: 'SelfSubjectRulesReviewSpec' } },
    },
    // The ObjectMeta fields a client may set on create; the server assigns
    // the rest (uid, resourceVersion, creationTimestamp, managedFields).
    OwnerReference: {
      fields: {
        kind: { id: 1, type: 'string' },
        name: { id: 3, type: 'string' },
        uid: { id: 4, type: 'string' },
        apiVersion: { id: 5, type: 'string' },
        controller: { id: 6, type: 'bool' },
        blockOwnerDeletion: { id: 7, type: 'bool' },
      },
    },
    ObjectMeta: {
      fields: {
        name: { id: 1, type: 'string' },
        generateName: { id: 2, type: 'string' },
        namespace: { id: 3, type: 'string' },
        labels: stringMap(11),
        annotations: stringMap(12),
        ownerReferences: {
          id: 13,
          rule: 'repeated',
          type: 'OwnerReference',
        },
        finalizers: { id: 14, rule: 'repeated', type: 'string' },
      },
    },
    Secret: {
      fields: {
        metadata: { id: 1, type: 'ObjectMeta' },
        data: bytesMap(2),
        type: { id: 3, type: 'string' },
        stringData: stringMap(4),
        immutable: { id: 5, type: 'bool' },
      },
    },
    ConfigMap: {
      fields: {
        metadata: { id: 1, type: 'ObjectMeta' },
        data: stringMap(2),
        binaryData: bytesMap(3),
        immutable: { id: 4, type: 'bool' },
      },
    },
  },
});

const KINDS = new Set([
  'SelfSubjectAccessReview',
  'SelfSubjectRulesReview',
  'Secret',
  'ConfigMap',
]);

/**
 * Go writes every proto2 string and message field it holds, empty or not;
 * its JSON leaves empty metadata fields out (`omitempty`). Dropping them
 * makes the decoded object the one the same client sends as JSON.
 */
function withoutEmptyMeta(object: Record<string, any>) {
  if (!object.metadata) return object;
  const metadata = Object.fromEntries(
    Object.entries(object.metadata).filter(
      ([, v]) =>
        v !== '' &&
        !(Array.isArray(v) && v.length === 0) &&
        !(typeof v === 'object' && v !== null && Object.keys(v).length === 0),
    ),
  );
  return { ...object, metadata };
}

/** The request body as JSON: parsed, or decoded from Kubernetes protobuf. */
export function decodeBody(contentType: string | undefined, body: Buffer) {
  if (!contentType?.startsWith('application/vnd.kubernetes.protobuf')) {
    const text = body.toString('utf8');
    try {
      return text ? JSON.parse(text) : {};
    } catch {
      throw new KubeError(400, 'request body is not valid JSON', 'BadRequest');
    }
  }
  const unsupported = () =>
    new KubeError(
      415,
      'the demo homelab reads Kubernetes protobuf only for access reviews, Secrets and ConfigMaps; send application/json',
      'UnsupportedMediaType',
    );
  if (!body.subarray(0, 4).equals(MAGIC)) throw unsupported();
  let unknown: Record<string, any>;
  let object: Record<string, any>;
  try {
    const envelope = root.lookupType('Unknown');
    unknown = envelope.toObject(envelope.decode(body.subarray(4)), {
      defaults: false,
    });
    if (!KINDS.has(unknown.typeMeta?.kind)) throw unsupported();
    const type = root.lookupType(unknown.typeMeta.kind);
    // Bytes as base64 strings, as the JSON form of the same object has them.
    object = type.toObject(type.decode(unknown.raw), {
      defaults: false,
      bytes: String,
    });
  } catch (error) {
    if (error instanceof KubeError) throw error;
    throw new KubeError(
      400,
      'the request body is not a Kubernetes protobuf object',
      'BadRequest',
    );
  }
  return {
    ...withoutEmptyMeta(object),
    kind: unknown.typeMeta.kind,
    apiVersion: unknown.typeMeta.apiVersion,
  };
}
