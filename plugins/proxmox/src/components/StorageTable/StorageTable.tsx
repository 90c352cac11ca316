import { Table, TableColumn } from '@backstage/core-components';
import type { ProxmoxStorageSummary } from '@homelab-portal/plugin-proxmox-common';
import { UsageBar } from '../UsageBar';

type Row = ProxmoxStorageSummary & { id: string };

/** Storage usage per node (a shared storage shows once per node, as Proxmox lists it). */
export function StorageTable(props: { storage: ProxmoxStorageSummary[] }) {
  const columns: TableColumn<Row>[] = [
    { title: 'Storage', field: 'storage', highlight: true },
    { title: 'Node', field: 'node' },
    { title: 'Type', field: 'plugintype' },
    {
      title: 'Shared',
      field: 'shared',
      render: s => (s.shared ? 'yes' : 'no'),
    },
    { title: 'Content', field: 'content', render: s => s.content.join(', ') },
    { title: 'Status', field: 'status' },
    {
      title: 'Usage',
      field: 'disk',
      customSort: (a, b) =>
        (a.disk ?? 0) / (a.maxdisk || 1) - (b.disk ?? 0) / (b.maxdisk || 1),
      render: s => <UsageBar used={s.disk} total={s.maxdisk} />,
    },
  ];
  return (
    <Table<Row>
      title="Storage"
      columns={columns}
      data={props.storage.map(s => ({ ...s, id: `${s.node}/${s.storage}` }))}
      options={{ search: false, paging: false, padding: 'dense' }}
    />
  );
}
