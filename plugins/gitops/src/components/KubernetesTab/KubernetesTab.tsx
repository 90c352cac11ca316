import { EmptyState, Progress, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { detectErrors } from '@backstage/plugin-kubernetes-common';
import {
  Cluster,
  DetectedErrorsContext,
  ErrorReporting,
  kubernetesApiRef,
  useKubernetesObjects,
} from '@backstage/plugin-kubernetes-react';
import { gitopsAppName } from '@homelab-portal/plugin-gitops-common';
import { Grid } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { gitopsApiRef } from '../../api/GitopsApi';
import { usePolling } from '../../lib/usePolling';
import { KubernetesErrors } from './KubernetesErrors';
import { RoutesPanel } from './RoutesPanel';

const LABEL_SELECTOR = 'backstage.io/kubernetes-label-selector';

/** Why the tab has nothing to show, in words the admin can act on. */
function emptyReason(
  entityName: string,
  selector: string,
  clusters: string[] | undefined,
) {
  if (clusters && clusters.length === 0)
    return {
      title: 'No Kubernetes cluster is configured',
      description:
        'Add one under kubernetes.clusterLocatorMethods in app-config (the demo homelab writes it for you).',
    };
  return {
    title: `No object matches ${selector}`,
    description: `Cluster${(clusters ?? []).length === 1 ? '' : 's'} ${(
      clusters ?? []
    ).join(
      ', ',
    )} answered, but no Deployment, Pod, Service or route carries the label ${selector}. Label the workload (for app-template: global.labels), or set ${LABEL_SELECTOR} on ${entityName}.`,
  };
}

/**
 * The Kubernetes tab, built from the upstream plugin's own pieces
 * (useKubernetesObjects, Cluster, ErrorReporting) but never silent: a
 * forbidden kind is one line with the ClusterRole rule to add while every
 * other kind still renders; an empty tab says why; routes and their Gateways
 * show their status conditions.
 */
export function KubernetesTab() {
  const { entity } = useEntity();
  const kubernetesApi = useApi(kubernetesApiRef);
  const gitops = useApi(gitopsApiRef);
  const { kubernetesObjects, error } = useKubernetesObjects(entity, 10_000);
  const clusters = useAsync(
    async () => (await kubernetesApi.getClusters()).map(c => c.name),
    [kubernetesApi],
  );
  const app = gitopsAppName(entity);
  const routes = usePolling(
    () => (app ? gitops.getRoutes(app) : Promise.resolve(undefined)),
    10_000,
    [app],
  );
  const selector =
    entity.metadata.annotations?.[LABEL_SELECTOR] ??
    `backstage.io/kubernetes-id=${app ?? entity.metadata.name}`;

  if (error)
    return (
      <WarningPanel
        severity="error"
        title="The Kubernetes backend refused or failed"
        message={
          /403|NotAllowed/.test(error)
            ? `You may not read Kubernetes resources (kubernetes.resources.read): ask a home admin. (${error})`
            : `${error}. Check that the kubernetes backend plugin runs and its clusters are configured.`
        }
      />
    );
  if (!kubernetesObjects) return <Progress />;
  const detected = detectErrors(kubernetesObjects);
  const items = kubernetesObjects.items;
  const empty = items.every(i =>
    i.resources.every(r => r.resources.length === 0),
  );
  const reason = emptyReason(entity.metadata.name, selector, clusters.value);
  return (
    <DetectedErrorsContext.Provider value={[...detected.values()].flat()}>
      <Grid container spacing={3} direction="column">
        <Grid item>
          <KubernetesErrors clusters={items} />
        </Grid>
        {empty && (
          <Grid item>
            <EmptyState
              missing="data"
              title={reason.title}
              description={reason.description}
            />
          </Grid>
        )}
        {routes.value && (
          <Grid item>
            <RoutesPanel routes={routes.value.routes} />
          </Grid>
        )}
        {!empty && (
          <>
            <Grid item>
              <ErrorReporting
                detectedErrors={detected}
                clusters={items.map(i => i.cluster)}
              />
            </Grid>
            {items.map(item => (
              <Grid item key={item.cluster.name}>
                <Cluster
                  clusterObjects={item}
                  podsWithErrors={
                    new Set(
                      detected
                        .get(item.cluster.name)
                        ?.filter(d => d.sourceRef.kind === 'Pod')
                        .map(d => d.sourceRef.name),
                    )
                  }
                />
              </Grid>
            ))}
          </>
        )}
      </Grid>
    </DetectedErrorsContext.Provider>
  );
}
