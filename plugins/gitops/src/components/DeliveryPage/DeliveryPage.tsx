import {
  Content,
  Header,
  Link,
  Page,
  Progress,
  Table,
  TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type {
  AppDelivery,
  OpenPull,
} from '@homelab-portal/plugin-gitops-common';
import { Grid, Typography } from '@material-ui/core';
import { useSearchParams } from 'react-router-dom';
import { gitopsApiRef } from '../../api/GitopsApi';
import { usePolling } from '../../lib/usePolling';
import { CertificatesTable } from '../CertificatesTable';
import { DeliveryTimeline, StateChip } from '../DeliveryTimeline';
import { SourceStatus } from '../SourceStatus';
import { UpdatesTable } from '../UpdatesTable';

const columns: TableColumn<AppDelivery>[] = [
  {
    title: 'App',
    render: d =>
      d.entityRef ? (
        <EntityRefLink entityRef={d.entityRef} title={d.app} />
      ) : (
        <Typography variant="body2">{d.app} (not in the catalog)</Typography>
      ),
  },
  {
    title: 'Repository',
    render: d =>
      `${d.repository} (${d.engine === 'flux' ? 'Flux' : 'Argo CD'})`,
  },
  { title: 'State', render: d => <StateChip state={d.state} /> },
  {
    title: 'Where it stands',
    render: d => {
      const step =
        d.steps.find(s => s.id === d.failingStep) ??
        d.steps.find(s => s.state !== 'done') ??
        d.steps[d.steps.length - 1];
      return (
        <Typography
          variant="body2"
          color={d.state === 'failed' ? 'error' : 'textPrimary'}
        >
          {step.title}: {step.message}
        </Typography>
      );
    },
  },
];

const pullColumns: TableColumn<OpenPull>[] = [
  {
    title: 'Pull request',
    render: p => <Link to={p.url}>{`${p.repository}#${p.number}`}</Link>,
  },
  { title: 'Title', field: 'title' },
  {
    title: 'By',
    render: p => (p.renovate ? `${p.author} (Renovate)` : p.author),
  },
  { title: 'Opened', render: p => new Date(p.createdAt).toLocaleDateString() },
];

/** Every app's delivery, the certificates, pending updates and pull requests awaiting merge. */
export function DeliveryPage() {
  const api = useApi(gitopsApiRef);
  // `?app=<name>`: the add-app task links here to follow one new app.
  const [params] = useSearchParams();
  const followed = params.get('app') ?? undefined;
  const one = usePolling(
    () => (followed ? api.getDeliveries(followed) : Promise.resolve(undefined)),
    5000,
    [followed],
  );
  const deliveries = usePolling(() => api.getDeliveries(), 10_000);
  const certificates = usePolling(() => api.getCertificates(), 60_000);
  const updates = usePolling(() => api.getUpdates(), 30_000);
  const failedToLoad = (what: string, error?: Error) =>
    error && (
      <WarningPanel
        severity="error"
        title={`Could not load ${what}`}
        message={`The GitOps backend did not answer (${error.message}); the other sections still show.`}
      />
    );
  return (
    <Page themeId="tool">
      <Header
        title="Delivery"
        subtitle="Is every change live? From pull request to running app"
      />
      <Content>
        <Grid container spacing={3} direction="column">
          {followed && (
            <Grid item>
              <Typography variant="h5">Following {followed}</Typography>
              {one.value && one.value.apps.length === 0 && (
                <Typography variant="body2">
                  No repository has a pull request or folder for {followed} yet.
                  This page refreshes by itself.
                </Typography>
              )}
              {one.value?.apps.map(d => (
                <DeliveryTimeline key={d.repository} delivery={d} />
              ))}
            </Grid>
          )}
          <Grid item>
            {deliveries.loading && <Progress />}
            {failedToLoad('delivery status', deliveries.error)}
            {deliveries.value && (
              <>
                <SourceStatus
                  checkedAt={deliveries.value.checkedAt}
                  errors={deliveries.value.errors}
                />
                <Table
                  title="Apps"
                  options={{ paging: false, padding: 'dense' }}
                  columns={columns}
                  data={deliveries.value.apps}
                />
              </>
            )}
          </Grid>
          <Grid item>
            {failedToLoad('certificates', certificates.error)}
            {certificates.value && (
              <CertificatesTable
                chart
                certificates={certificates.value.certificates}
              />
            )}
          </Grid>
          <Grid item>
            {failedToLoad('pending updates', updates.error)}
            {updates.value && (
              <>
                <UpdatesTable updates={updates.value.updates} />
                <Table
                  title="Pull requests awaiting merge"
                  options={{ paging: false, search: false, padding: 'dense' }}
                  columns={pullColumns}
                  data={updates.value.pulls}
                />
              </>
            )}
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
}
