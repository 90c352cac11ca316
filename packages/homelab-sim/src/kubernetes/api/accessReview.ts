import type { RbacAuthorizer, UserInfo } from '../auth/rbac';
import { KubeError } from './status';

type ResourceAttributes = {
  namespace?: string;
  verb?: string;
  group?: string;
  resource?: string;
  subresource?: string;
  name?: string;
};

/**
 * `POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews`, what
 * `kubectl auth can-i` sends: the authorizer's answer for the caller, with
 * RBAC's reason when allowed.
 */
export function selfSubjectAccessReview(
  authorizer: RbacAuthorizer,
  user: UserInfo,
  body: any,
) {
  if (body?.kind !== 'SelfSubjectAccessReview') {
    throw new KubeError(
      400,
      `the body is not a SelfSubjectAccessReview (kind: ${JSON.stringify(
        body?.kind,
      )})`,
      'BadRequest',
    );
  }
  const spec = body.spec ?? {};
  const ra: ResourceAttributes | undefined = spec.resourceAttributes;
  const nra: { path?: string; verb?: string } | undefined =
    spec.nonResourceAttributes;
  if (!ra === !nra) {
    throw new KubeError(
      422,
      'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified',
      'Invalid',
    );
  }
  const decision = ra
    ? authorizer.authorize(user, {
        kind: 'resource',
        verb: ra.verb ?? '',
        group: ra.group ?? '',
        resource: ra.resource ?? '',
        ...(ra.subresource && { subresource: ra.subresource }),
        ...(ra.namespace && { namespace: ra.namespace }),
        ...(ra.name && { name: ra.name }),
      })
    : authorizer.authorize(user, {
        kind: 'non-resource',
        verb: nra!.verb ?? '',
        path: nra!.path ?? '',
      });
  return {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec,
    status: {
      allowed: decision.allowed,
      ...(decision.reason && { reason: decision.reason }),
    },
  };
}

/**
 * `POST .../selfsubjectrulesreviews` (`kubectl auth can-i --list`): every
 * rule that applies to the caller in the namespace, as RBAC's rule resolver
 * lists them.
 */
export function selfSubjectRulesReview(
  authorizer: RbacAuthorizer,
  user: UserInfo,
  body: any,
) {
  const namespace: string | undefined = body?.spec?.namespace;
  if (!namespace) {
    throw new KubeError(400, 'no namespace on request', 'BadRequest');
  }
  const rules = authorizer.rulesFor(user, namespace);
  return {
    kind: 'SelfSubjectRulesReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec: { namespace },
    status: {
      resourceRules: rules
        .filter(r => r.nonResourceURLs.length === 0)
        .map(r => ({
          verbs: r.verbs,
          ...(r.apiGroups.length && { apiGroups: r.apiGroups }),
          ...(r.resources.length && { resources: r.resources }),
          ...(r.resourceNames.length && { resourceNames: r.resourceNames }),
        })),
      nonResourceRules: rules
        .filter(r => r.nonResourceURLs.length > 0)
        .map(r => ({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs })),
      incomplete: false,
    },
  };
}
