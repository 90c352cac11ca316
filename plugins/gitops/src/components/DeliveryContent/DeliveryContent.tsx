import { EmptyState, Progress, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { gitopsAppName } from '@homelab-portal/plugin-gitops-common';
import { Grid } from '@material-ui/core';
import { gitopsApiRef } from '../../api/GitopsApi';
import { usePolling } from '../../lib/usePolling';
import { CertificatesTable } from '../CertificatesTable';
import { DeliveryTimeline } from '../DeliveryTimeline';
import { SourceStatus } from '../SourceStatus';
import { UpdatesTable } from '../UpdatesTable';

/**
 * The app's "is my change live?" tab: one timeline per GitOps repository
 * that declares it, its certificates and its pending Renovate updates.
 * Refreshes every 5 s, so a merge can be followed to running.
 */
export function DeliveryContent() {
  const { entity } = useEntity();
  const api = useApi(gitopsApiRef);
  const app = gitopsAppName(entity) ?? entity.metadata.name;
  const deliveries = usePolling(() => api.getDeliveries(app), 5000, [app]);
  const certificates = usePolling(() => api.getCertificates(), 30_000);
  const updates = usePolling(() => api.getUpdates(), 30_000);

  if (deliveries.loading) return <Progress />;
  if (deliveries.error)
    return (
      <WarningPanel
        severity="error"
        title="Delivery status is unavailable"
        message={`The GitOps backend did not answer (${deliveries.error.message}). Reload; if it persists, check that gitops-backend is installed.`}
      />
    );
  const list = deliveries.value!;
  return (
    <Grid container spacing={3} direction="column">
      <Grid item>
        <SourceStatus checkedAt={list.checkedAt} errors={list.errors} />
      </Grid>
      {list.apps.length === 0 && (
        <Grid item>
          <EmptyState
            missing="data"
            title={`No GitOps repository or engine knows "${app}"`}
            description={`Nothing in the configured repositories (gitops.repositories) has an app folder "${app}", and neither Flux nor Argo CD reports one. If the app has another name there, set the annotation gitops.homelab.dev/app on this entity.`}
          />
        </Grid>
      )}
      {list.apps.map(d => (
        <Grid item key={`${d.repository}/${d.app}`}>
          <DeliveryTimeline delivery={d} />
        </Grid>
      ))}
      <Grid item>
        <CertificatesTable
          title="Certificates of this app"
          certificates={(certificates.value?.certificates ?? []).filter(c =>
            c.apps.includes(app),
          )}
        />
      </Grid>
      <Grid item>
        <UpdatesTable
          title="Pending updates of this app"
          updates={(updates.value?.updates ?? []).filter(u =>
            u.apps.includes(app),
          )}
        />
      </Grid>
    </Grid>
  );
}
