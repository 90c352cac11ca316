import {
  StatusError,
  StatusOK,
  StatusRunning,
  StatusWarning,
  Table,
  TableColumn,
} from '@backstage/core-components';
import type { ProxmoxTask } from '@homelab-portal/plugin-proxmox-common';
import Typography from '@material-ui/core/Typography';
import { formatDateTime, formatDuration, taskLabel } from '../../lib/format';

export function TaskResult(props: { task: ProxmoxTask }) {
  const t = props.task;
  if (t.status === 'running') return <StatusRunning>running</StatusRunning>;
  if (t.exitstatus === 'OK') return <StatusOK>OK</StatusOK>;
  if (t.ok) return <StatusWarning>{t.exitstatus}</StatusWarning>;
  return <StatusError>{t.exitstatus ?? 'failed'}</StatusError>;
}

/** Proxmox tasks (power actions, backups, updates), newest first. */
export function TasksTable(props: {
  tasks: ProxmoxTask[];
  title?: string;
  emptyText?: string;
}) {
  const columns: TableColumn<ProxmoxTask>[] = [
    {
      title: 'Started',
      field: 'starttime',
      render: t => formatDateTime(t.starttime),
    },
    { title: 'Task', field: 'type', render: t => taskLabel(t.type) },
    { title: 'Guest', field: 'id', render: t => t.id || '–' },
    { title: 'Node', field: 'node' },
    { title: 'By', field: 'user' },
    {
      title: 'Took',
      field: 'endtime',
      render: t =>
        t.endtime ? formatDuration(t.endtime - t.starttime) || '< 1s' : '–',
    },
    {
      title: 'Result',
      field: 'exitstatus',
      render: t => <TaskResult task={t} />,
    },
  ];
  return (
    <Table<ProxmoxTask>
      title={props.title ?? 'Recent tasks'}
      columns={columns}
      data={props.tasks.map(t => ({ ...t }))}
      options={{
        search: false,
        paging: false,
        padding: 'dense',
        sorting: false,
      }}
      emptyContent={
        <Typography variant="body2" style={{ padding: 16 }}>
          {props.emptyText ?? 'No tasks.'}
        </Typography>
      }
    />
  );
}
