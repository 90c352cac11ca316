import type { ClusterObjects } from '@backstage/plugin-kubernetes-common';
import { readRuleFor } from '@homelab-portal/plugin-gitops-common';
import { Box, Typography } from '@material-ui/core';
import { Alert, AlertTitle } from '@material-ui/lab';

type FetchError = ClusterObjects['errors'][number];

/** One line per failed kind, in words, with the fix when there is one. */
export function describeError(cluster: string, e: FetchError) {
  if (e.errorType === 'FETCH_ERROR')
    return {
      title: `Cluster ${cluster} could not be reached`,
      detail: `${e.message}. Nothing of this cluster is shown; check its URL and CA in kubernetes.clusterLocatorMethods.`,
    };
  const path = e.resourcePath ?? '';
  const rule = readRuleFor(path);
  const what = rule
    ? `${rule.resource}${rule.apiGroup ? `.${rule.apiGroup}` : ''}`
    : path;
  if (e.statusCode === 403)
    return {
      title: `Not allowed to list ${what} in ${cluster}`,
      detail: `The portal's ServiceAccount may not list ${what} (HTTP 403). Everything else is shown below. Add this rule to its ClusterRole:`,
      rule: rule?.yaml,
    };
  if (e.statusCode === 401)
    return {
      title: `Cluster ${cluster} refused the portal's token`,
      detail: `HTTP 401 listing ${what}: the service-account token is wrong or expired.`,
    };
  return {
    title: `Listing ${what} in ${cluster} failed`,
    detail: `${e.errorType}${
      e.statusCode ? ` (HTTP ${e.statusCode})` : ''
    }: the other kinds are shown below.`,
  };
}

/** Per-kind errors of each cluster, instead of one banner for all of them. */
export function KubernetesErrors(props: { clusters: ClusterObjects[] }) {
  const lines = props.clusters.flatMap(c =>
    c.errors.map(e => describeError(c.cluster.title ?? c.cluster.name, e)),
  );
  if (!lines.length) return null;
  return (
    <Box data-testid="kubernetes-errors">
      {lines.map(l => (
        <Alert severity="warning" key={l.title}>
          <AlertTitle>{l.title}</AlertTitle>
          <Typography variant="body2">{l.detail}</Typography>
          {l.rule && (
            <Box component="pre" m={0} mt={1} data-testid="rbac-rule">
              {l.rule}
            </Box>
          )}
        </Alert>
      ))}
    </Box>
  );
}
