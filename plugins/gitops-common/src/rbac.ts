/**
 * The ClusterRole rule that lets the portal read what a Kubernetes API path
 * lists, e.g. `/apis/autoscaling/v2/horizontalpodautoscalers` →
 * `apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"]`.
 * Undefined for a path that names no resource.
 *
 * @public
 */
export function readRuleFor(
  resourcePath: string,
): { apiGroup: string; resource: string; yaml: string } | undefined {
  const parts = resourcePath.split('?')[0].split('/').filter(Boolean);
  let rest: string[];
  let apiGroup: string;
  if (parts[0] === 'api') {
    apiGroup = '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    apiGroup = parts[1];
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  if (rest[0] === 'namespaces' && rest.length >= 3) rest = rest.slice(2);
  const resource = rest[0];
  if (!resource) return undefined;
  const yaml = [
    `- apiGroups: ["${apiGroup}"]`,
    `  resources: ["${resource}"]`,
    '  verbs: ["get", "list", "watch"]',
  ].join('\n');
  return { apiGroup, resource, yaml };
}
