import { Link, Table, TableColumn } from '@backstage/core-components';
import type { PendingUpdate } from '@homelab-portal/plugin-gitops-common';
import { Box, Chip } from '@material-ui/core';

/** Open Renovate pull requests: current → new version and the kind of update. */
export function UpdatesTable(props: {
  updates: PendingUpdate[];
  title?: string;
}) {
  const columns: TableColumn<PendingUpdate>[] = [
    { title: 'App', render: u => u.apps.join(', ') || '—' },
    { title: 'Package', field: 'depName' },
    {
      title: 'Version',
      render: u => (
        <code>
          {u.from ?? '?'} → {u.to}
        </code>
      ),
    },
    {
      title: 'Update',
      render: u => (
        <Chip
          size="small"
          label={u.updateType}
          color={u.updateType === 'major' ? 'secondary' : 'default'}
        />
      ),
    },
    {
      title: 'Pull request',
      render: u => (
        <Link to={u.url}>
          {u.repository}#{u.number}
        </Link>
      ),
    },
  ];
  return (
    <Table
      title={props.title ?? 'Pending updates'}
      options={{ paging: false, search: false, padding: 'dense' }}
      columns={columns}
      data={props.updates}
      emptyContent={
        <Box p={2}>No open Renovate pull request touches this.</Box>
      }
    />
  );
}
