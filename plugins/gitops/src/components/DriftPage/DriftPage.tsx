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
import type {
  DriftItem,
  DriftKind,
} from '@homelab-portal/plugin-gitops-common';
import { gitopsApiRef } from '../../api/GitopsApi';
import { usePolling } from '../../lib/usePolling';
import { SourceStatus } from '../SourceStatus';

/** @public */
export const DRIFT_TITLES: Record<DriftKind, string> = {
  'unowned-guest': 'Guest no one owns',
  'app-without-entity': 'App without a catalog entity',
  'entity-without-workload': 'Catalog app with no workload',
  'unlinked-route': 'Route no entity links',
  'node-without-vm': 'Node without a VM',
};

const columns: TableColumn<DriftItem>[] = [
  { title: 'What', render: i => DRIFT_TITLES[i.kind] },
  { title: 'Which', field: 'subject' },
  { title: 'Why', field: 'detail' },
  {
    title: 'What to do',
    render: i => <Link to={i.action.url}>{i.action.title}</Link>,
  },
];

/** Catalog against reality, each line with what to do about it. */
export function DriftPage() {
  const api = useApi(gitopsApiRef);
  const drift = usePolling(() => api.getDrift(), 30_000);
  return (
    <Page themeId="tool">
      <Header
        title="Drift"
        subtitle="What runs, what the repositories say, and what the catalog knows"
      />
      <Content>
        {drift.loading && <Progress />}
        {drift.error && (
          <WarningPanel
            severity="error"
            title="Could not load the drift report"
            message={`The GitOps backend did not answer (${drift.error.message}). Reload the page.`}
          />
        )}
        {drift.value && (
          <>
            <SourceStatus
              checkedAt={drift.value.checkedAt}
              errors={drift.value.errors}
            />
            <Table
              title={`Drift (${drift.value.items.length})`}
              options={{ paging: false, padding: 'dense' }}
              columns={columns}
              data={drift.value.items}
              emptyContent={
                <div style={{ padding: 16 }}>
                  No drift: every guest, app, route and node is in the catalog.
                </div>
              }
            />
          </>
        )}
      </Content>
    </Page>
  );
}
