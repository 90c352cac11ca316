import {
  InfoCard,
  Progress,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import type { ProxmoxBackup } from '@homelab-portal/plugin-proxmox-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { proxmoxApiRef } from '../../api/ProxmoxApi';
import { usePolled } from '@homelab-portal/homelab-react';
import {
  ageDays,
  formatAge,
  formatBytes,
  formatClock,
  formatDateTime,
} from '../../lib/format';
import { proxmoxTranslationRef } from '../../translation';
import { DataStateBanner } from '../DataStateBanner';

/** A guest's backups: age of the last one (flagged past the threshold), the list, and where it comes from. */
export function BackupsCard(props: {
  instance: string;
  vmid: number;
  template?: boolean;
}) {
  const { t } = useTranslationRef(proxmoxTranslationRef);
  const api = useApi(proxmoxApiRef);
  const backups = usePolled(
    () => api.getBackups(props.instance, props.vmid),
    60_000,
    [api, props.instance, props.vmid],
  );
  const b = backups.value;
  const when: TableColumn<ProxmoxBackup & { id: string }> = {
    title: 'When',
    field: 'time',
    render: x => `${formatClock(x.time, true)} (${formatAge(x.time)})`,
  };
  const result: TableColumn<ProxmoxBackup & { id: string }> = {
    title: 'Result',
    field: 'ok',
    render: x => (x.ok ? 'OK' : `failed: ${x.error ?? ''}`),
  };
  // Task history knows when and how a run went; files also know where and how big.
  const columns: TableColumn<ProxmoxBackup & { id: string }>[] =
    b?.source === 'storage'
      ? [
          when,
          { title: 'Storage', field: 'storage' },
          { title: 'Size', field: 'size', render: x => formatBytes(x.size) },
          {
            title: 'Notes',
            field: 'notes',
            render: x => `${x.notes ?? ''}${x.protected ? ' (protected)' : ''}`,
          },
        ]
      : [when, result];
  return (
    <InfoCard title={t('backups.title')}>
      {!b && backups.loading && <Progress />}
      {!b && backups.error && (
        <DataStateBanner error={backups.error} onRetry={backups.retry} />
      )}
      {b && (
        <>
          <DataStateBanner state={b.state} error={backups.error} />
          <Typography variant="h6" component="div">
            {t('backups.last')}:{' '}
            {b.lastBackupAt ? formatAge(b.lastBackupAt) : t('backups.never')}
          </Typography>
          <Box marginY={1}>
            {!props.template && b.notBackedUp && (
              <Alert severity="error">{t('backups.notInJob')}</Alert>
            )}
            {!props.template && !b.notBackedUp && !b.lastBackupAt && (
              <Alert severity="error">{t('backups.never')}</Alert>
            )}
            {b.lastBackupAt && ageDays(b.lastBackupAt) > b.warningDays && (
              <Alert severity="warning">
                {t('backups.tooOld', { days: String(b.warningDays) })}
              </Alert>
            )}
          </Box>
          {b.jobs.map(j => (
            <Typography key={j.id} variant="body2" color="textSecondary">
              Job {j.id}: {j.schedule ?? '?'} to {j.storage ?? '?'}
              {j.enabled ? '' : ' (disabled)'}
              {j.nextRun ? `, next run ${formatDateTime(j.nextRun)}` : ''}
            </Typography>
          ))}
          <Typography variant="caption" color="textSecondary" component="div">
            {b.source === 'storage'
              ? t('backups.fromStorage')
              : t('backups.fromTasks')}
          </Typography>
          {b.hint && (
            <Box marginY={1}>
              <Alert severity="info">{b.hint}</Alert>
            </Box>
          )}
          {b.backups.length > 0 && (
            <Table
              columns={columns}
              data={b.backups
                .slice(0, 10)
                .map((x, i) => ({ ...x, id: String(i) }))}
              options={{
                search: false,
                paging: false,
                toolbar: false,
                padding: 'dense',
                sorting: false,
              }}
            />
          )}
        </>
      )}
    </InfoCard>
  );
}
