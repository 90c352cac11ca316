import { z } from 'zod';

/**
 * Who may call the simulated Kubernetes API and what they may do, written
 * the way a cluster's own RBAC objects are (rbac.authorization.k8s.io/v1),
 * so a scenario reads like the manifests a household applies.
 */
const objectName = z.string().min(1);

export const policyRuleSchema = z.object({
  apiGroups: z.array(z.string()).default([]),
  resources: z.array(z.string()).default([]),
  verbs: z.array(z.string()).min(1),
  resourceNames: z.array(z.string()).default([]),
  nonResourceURLs: z.array(z.string()).default([]),
});

const subjectSchema = z.object({
  kind: z.enum(['User', 'Group', 'ServiceAccount']),
  name: objectName,
  namespace: z.string().optional(),
});

const roleRefSchema = z.object({
  apiGroup: z.literal('rbac.authorization.k8s.io').optional(),
  kind: z.enum(['Role', 'ClusterRole']),
  name: objectName,
});

const clusterMeta = z.object({
  name: objectName,
  namespace: z.undefined().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});
const namespacedMeta = clusterMeta.extend({ namespace: objectName });

export const rbacObjectSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('ClusterRole'),
    metadata: clusterMeta,
    rules: z.array(policyRuleSchema).default([]),
  }),
  z.object({
    kind: z.literal('Role'),
    metadata: namespacedMeta,
    rules: z.array(policyRuleSchema).default([]),
  }),
  z.object({
    kind: z.literal('ClusterRoleBinding'),
    metadata: clusterMeta,
    roleRef: roleRefSchema.extend({ kind: z.literal('ClusterRole') }),
    subjects: z.array(subjectSchema).default([]),
  }),
  z.object({
    kind: z.literal('RoleBinding'),
    metadata: namespacedMeta,
    roleRef: roleRefSchema,
    subjects: z.array(subjectSchema).default([]),
  }),
]);

/**
 * A bearer token the API server accepts and the identity it stands for:
 * a ServiceAccount (`namespace/name`) or a user with groups.
 */
export const accountSchema = z
  .object({
    /** File under `<state>/kubernetes/` that holds the token. */
    tokenFile: z.string().regex(/^[a-z0-9][-a-z0-9.]*$/, 'a file name'),
    serviceAccount: z
      .string()
      .regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, 'namespace/name')
      .optional(),
    user: z.string().optional(),
    groups: z.array(z.string()).default([]),
  })
  .refine(a => Boolean(a.serviceAccount) !== Boolean(a.user), {
    message: 'give either serviceAccount or user',
  });

export type PolicyRule = z.infer<typeof policyRuleSchema>;
export type RbacObject = z.infer<typeof rbacObjectSchema>;
export type Account = z.infer<typeof accountSchema>;
