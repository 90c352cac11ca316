import type {
  Account,
  PolicyRule,
  RbacObject,
} from '../../scenario/rbacSchema';
import { BOOTSTRAP_RBAC } from './bootstrapRoles';

/** Who a request comes from, as the authenticator hands it to the authorizer. */
export type UserInfo = { name: string; groups: string[] };

/** The authorizer's view of one request (k8s.io/apiserver authorizer.Attributes). */
export type RequestAttributes =
  | {
      kind: 'resource';
      verb: string;
      group: string;
      resource: string;
      subresource?: string;
      namespace?: string;
      name?: string;
    }
  | { kind: 'non-resource'; verb: string; path: string };

export type Decision = { allowed: boolean; reason: string };

export function userOf(account: Account): UserInfo {
  if (account.serviceAccount) {
    const [namespace, name] = account.serviceAccount.split('/');
    return {
      name: `system:serviceaccount:${namespace}:${name}`,
      groups: [
        'system:serviceaccounts',
        `system:serviceaccounts:${namespace}`,
        'system:authenticated',
      ],
    };
  }
  return {
    name: account.user!,
    groups: [...account.groups, 'system:authenticated'],
  };
}

type Subject = { kind: string; name: string; namespace?: string };

function subjectMatches(s: Subject, user: UserInfo, bindingNs?: string) {
  switch (s.kind) {
    case 'User':
      return s.name === user.name;
    case 'Group':
      return user.groups.includes(s.name);
    default:
      return (
        user.name ===
        `system:serviceaccount:${s.namespace ?? bindingNs}:${s.name}`
      );
  }
}

function describeSubject(s: Subject, bindingNs?: string) {
  return s.kind === 'ServiceAccount'
    ? `${s.kind} "${s.name}/${s.namespace ?? bindingNs}"`
    : `${s.kind} "${s.name}"`;
}

const has = (list: string[], value: string) =>
  list.includes('*') || list.includes(value);

/** rbac/v1 helpers ResourceMatches, ResourceNameMatches, NonResourceURLMatches. */
export function ruleAllows(rule: PolicyRule, a: RequestAttributes) {
  if (!has(rule.verbs, a.verb)) return false;
  if (a.kind === 'non-resource') {
    return rule.nonResourceURLs.some(
      u =>
        u === '*' ||
        u === a.path ||
        (u.endsWith('*') && a.path.startsWith(u.slice(0, -1))),
    );
  }
  if (!has(rule.apiGroups, a.group)) return false;
  const combined = a.subresource
    ? `${a.resource}/${a.subresource}`
    : a.resource;
  const resourceOk = rule.resources.some(
    r =>
      r === '*' ||
      r === combined ||
      (a.subresource !== undefined && r === `*/${a.subresource}`),
  );
  if (!resourceOk) return false;
  return (
    rule.resourceNames.length === 0 ||
    (a.name !== undefined && rule.resourceNames.includes(a.name))
  );
}

/**
 * The RBAC authorizer over the bootstrap policy plus the scenario's objects:
 * ClusterRoleBindings grant everywhere, RoleBindings only in their
 * namespace, `system:masters` bypasses it, and nothing is ever denied
 * explicitly (RBAC only adds).
 */
export class RbacAuthorizer {
  readonly objects: RbacObject[];

  constructor(scenarioRbac: RbacObject[]) {
    this.objects = [...BOOTSTRAP_RBAC, ...scenarioRbac];
  }

  private rulesOf(kind: string, name: string, namespace?: string) {
    const role = this.objects.find(
      o =>
        o.kind === kind &&
        o.metadata.name === name &&
        (kind === 'ClusterRole' || o.metadata.namespace === namespace),
    );
    return role && 'rules' in role ? role.rules : [];
  }

  /** Every rule granted to `user` in `namespace` (cluster-wide ones included). */
  rulesFor(user: UserInfo, namespace: string): PolicyRule[] {
    const out: PolicyRule[] = [];
    for (const b of this.objects) {
      if (b.kind !== 'ClusterRoleBinding' && b.kind !== 'RoleBinding') continue;
      const bindingNs = b.kind === 'RoleBinding' ? b.metadata.namespace : '';
      if (b.kind === 'RoleBinding' && bindingNs !== namespace) continue;
      if (!b.subjects.some(s => subjectMatches(s, user, bindingNs))) continue;
      out.push(...this.rulesOf(b.roleRef.kind, b.roleRef.name, bindingNs));
    }
    return out;
  }

  authorize(user: UserInfo, a: RequestAttributes): Decision {
    if (user.groups.includes('system:masters')) {
      return { allowed: true, reason: '' };
    }
    for (const b of this.objects) {
      if (b.kind !== 'ClusterRoleBinding' && b.kind !== 'RoleBinding') continue;
      const bindingNs = b.kind === 'RoleBinding' ? b.metadata.namespace : '';
      if (b.kind === 'RoleBinding') {
        if (a.kind !== 'resource' || a.namespace !== bindingNs) continue;
      }
      const subject = b.subjects.find(s => subjectMatches(s, user, bindingNs));
      if (!subject) continue;
      const rules = this.rulesOf(b.roleRef.kind, b.roleRef.name, bindingNs);
      if (rules.some(r => ruleAllows(r, a))) {
        const binding =
          b.kind === 'RoleBinding'
            ? `RoleBinding "${b.metadata.name}/${bindingNs}"`
            : `ClusterRoleBinding "${b.metadata.name}"`;
        return {
          allowed: true,
          reason: `RBAC: allowed by ${binding} of ${b.roleRef.kind} "${
            b.roleRef.name
          }" to ${describeSubject(subject, bindingNs)}`,
        };
      }
    }
    return { allowed: false, reason: '' };
  }
}

/** The API server's wording when RBAC says no. */
export function forbiddenMessage(user: UserInfo, a: RequestAttributes) {
  if (a.kind === 'non-resource') {
    return `forbidden: User "${user.name}" cannot ${a.verb} path "${a.path}"`;
  }
  const qualified = a.group ? `${a.resource}.${a.group}` : a.resource;
  const what = a.name ? `${qualified} "${a.name}"` : qualified;
  const resource = a.subresource
    ? `${a.resource}/${a.subresource}`
    : a.resource;
  const scope = a.namespace
    ? `in the namespace "${a.namespace}"`
    : 'at the cluster scope';
  return `${what} is forbidden: User "${user.name}" cannot ${a.verb} resource "${resource}" in API group "${a.group}" ${scope}`;
}
