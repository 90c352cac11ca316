import { Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { ProxmoxGuestSummary } from '@homelab-portal/plugin-proxmox-common';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import WarningIcon from '@material-ui/icons/Warning';
import {
  ageDays,
  formatAge,
  formatBytes,
  formatDuration,
  formatPercent,
} from '../../lib/format';
import { GuestStatus } from './GuestStatus';

type Row = ProxmoxGuestSummary & {
  kind: string;
  tagText: string;
  ipText: string;
};

function kindOf(g: ProxmoxGuestSummary) {
  if (g.template) return g.type === 'qemu' ? 'VM template' : 'CT template';
  return g.type === 'qemu' ? 'VM' : 'Container';
}

/** Every guest of an instance: sortable, filterable per column, searchable. */
export function GuestTable(props: {
  guests: ProxmoxGuestSummary[];
  warningDays: number;
  backupsLoading?: boolean;
  /** Off where backup ages are not known (a node's guests). */
  showBackups?: boolean;
  title?: string;
}) {
  const { guests, warningDays } = props;
  const rows: Row[] = guests.map(g => ({
    ...g,
    kind: kindOf(g),
    tagText: g.tags.join(' '),
    ipText: g.ips.join(' '),
  }));
  const lookup = (values: string[]) =>
    Object.fromEntries([...new Set(values)].sort().map(v => [v, v]));

  const backupCell = (g: Row) => {
    if (g.template) return <Typography variant="body2">–</Typography>;
    if (g.lastBackupAt === undefined) {
      if (props.backupsLoading)
        return (
          <Typography variant="body2" color="textSecondary">
            reading…
          </Typography>
        );
      return (
        <Tooltip title={g.notBackedUp ? 'In no backup job' : 'No backup found'}>
          <Typography variant="body2" color="error">
            <WarningIcon fontSize="inherit" />{' '}
            {g.notBackedUp ? 'no job' : 'never'}
          </Typography>
        </Tooltip>
      );
    }
    const old = ageDays(g.lastBackupAt) > warningDays;
    return (
      <Tooltip title={new Date(g.lastBackupAt * 1000).toLocaleString()}>
        <Typography variant="body2" color={old ? 'error' : 'inherit'}>
          {old && <WarningIcon fontSize="inherit" />}{' '}
          {formatAge(g.lastBackupAt)}
        </Typography>
      </Tooltip>
    );
  };

  const columns: TableColumn<Row>[] = [
    {
      title: 'Name',
      field: 'name',
      highlight: true,
      filtering: false,
      render: g => <EntityRefLink entityRef={g.entityRef} title={g.name} />,
    },
    {
      title: 'VMID',
      field: 'vmid',
      type: 'numeric',
      filtering: false,
      width: '80px',
    },
    { title: 'Type', field: 'kind', lookup: lookup(rows.map(r => r.kind)) },
    { title: 'Node', field: 'node', lookup: lookup(rows.map(r => r.node)) },
    {
      title: 'Status',
      field: 'status',
      lookup: lookup(rows.map(r => r.status)),
      render: g => <GuestStatus status={g.status} template={g.template} />,
    },
    {
      title: 'Uptime',
      field: 'uptime',
      filtering: false,
      searchable: false,
      render: g => (g.status === 'running' ? formatDuration(g.uptime) : '–'),
    },
    {
      title: 'CPU',
      field: 'cpu',
      filtering: false,
      searchable: false,
      render: g =>
        g.status === 'running'
          ? `${formatPercent(g.cpu)} of ${g.maxcpu ?? '?'}`
          : '–',
    },
    {
      title: 'Memory',
      field: 'mem',
      filtering: false,
      searchable: false,
      render: g =>
        g.status === 'running'
          ? `${formatBytes(g.mem)} / ${formatBytes(g.maxmem)}`
          : formatBytes(g.maxmem),
    },
    {
      title: 'Disk',
      field: 'maxdisk',
      filtering: false,
      searchable: false,
      render: g =>
        g.type === 'lxc' && g.disk
          ? `${formatBytes(g.disk)} / ${formatBytes(g.maxdisk)}`
          : formatBytes(g.maxdisk),
    },
    {
      title: 'IPs',
      field: 'ipText',
      filtering: false,
      render: g =>
        g.ips.length ? g.ips.map(ip => <div key={ip}>{ip}</div>) : '–',
    },
    {
      title: 'Tags',
      field: 'tagText',
      lookup: lookup(rows.flatMap(r => r.tags)),
      customFilterAndSearch: (filter: unknown, g: Row) => {
        // Column filter: a list of chosen tags; search box: text.
        if (Array.isArray(filter)) {
          return !filter.length || filter.some(t => g.tags.includes(String(t)));
        }
        return typeof filter !== 'string' || g.tagText.includes(filter);
      },
      render: g =>
        g.tags.map(t => (
          <Chip key={t} label={t} size="small" style={{ margin: 1 }} />
        )),
    },
    {
      title: 'Last backup',
      field: 'lastBackupAt',
      filtering: false,
      searchable: false,
      customSort: (a, b) => (a.lastBackupAt ?? -1) - (b.lastBackupAt ?? -1),
      render: backupCell,
    },
  ];

  return (
    <Table<Row>
      title={props.title ?? `Guests (${rows.length})`}
      columns={
        props.showBackups === false
          ? columns.filter(c => c.field !== 'lastBackupAt')
          : columns
      }
      data={rows}
      options={{
        search: true,
        filtering: true,
        sorting: true,
        padding: 'dense',
        paging: rows.length > 50,
        pageSize: 50,
        pageSizeOptions: [50, 200, 1000],
      }}
    />
  );
}
