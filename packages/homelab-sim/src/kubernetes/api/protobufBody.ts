import protobuf from 'protobufjs';
import { KubeError } from './status';

/**
 * kubectl sends built-in objects it creates through typed clients (such as
 * the SelfSubjectAccessReview of `kubectl auth can-i`) as Kubernetes
 * protobuf: the magic `k8s\0`, then a runtime.Unknown whose `raw` is the
 * object. Field numbers are those of k8s.io/api/authorization/v1 and
 * k8s.io/apimachinery/pkg/runtime generated.proto (proto2).
 */
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

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
  },
});

const KINDS = new Set(['SelfSubjectAccessReview', 'SelfSubjectRulesReview']);

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
      'the demo homelab reads Kubernetes protobuf only for SelfSubjectAccessReview and SelfSubjectRulesReview; send application/json',
      'UnsupportedMediaType',
    );
  if (!body.subarray(0, 4).equals(MAGIC)) throw unsupported();
  const unknown = root
    .lookupType('Unknown')
    .toObject(root.lookupType('Unknown').decode(body.subarray(4)), {
      defaults: false,
    });
  const kind = unknown.typeMeta?.kind;
  if (!KINDS.has(kind)) throw unsupported();
  const type = root.lookupType(kind);
  const object = type.toObject(type.decode(unknown.raw), { defaults: false });
  return { ...object, kind, apiVersion: unknown.typeMeta.apiVersion };
}
