import { InfoCard, WarningPanel } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { TalosEtcdView } from '@homelab-portal/plugin-talos-common';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { formatBytes } from '../../lib/format';
import { talosTranslationRef } from '../../translation';

/** etcd members as the control plane reports them: leader, DB size, alarms. */
export function EtcdPanel(props: { etcd: TalosEtcdView }) {
  const { t } = useTranslationRef(talosTranslationRef);
  const { etcd } = props;
  return (
    <InfoCard title={t('etcd.title')} noPadding>
      {etcd.members.length === 0 ? (
        <WarningPanel
          severity="warning"
          title={t('etcd.noMembers')}
          message={etcd.error?.message}
        />
      ) : (
        <Table size="small" aria-label={t('etcd.title')}>
          <TableHead>
            <TableRow>
              <TableCell>{t('etcd.member')}</TableCell>
              <TableCell>{t('etcd.id')}</TableCell>
              <TableCell>{t('etcd.dbSize')}</TableCell>
              <TableCell>{t('etcd.raftIndex')}</TableCell>
              <TableCell>{t('etcd.alarms')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {etcd.members.map(m => (
              <TableRow key={m.id}>
                <TableCell>
                  {m.hostname}{' '}
                  {m.isLeader && (
                    <Chip
                      size="small"
                      color="primary"
                      label={t('etcd.leader')}
                    />
                  )}
                  {m.isLearner && (
                    <Chip size="small" variant="outlined" label="learner" />
                  )}
                </TableCell>
                <TableCell>
                  <code>{m.id}</code>
                </TableCell>
                <TableCell>
                  {m.status ? (
                    `${formatBytes(m.status.dbSizeBytes)} (${formatBytes(
                      m.status.dbSizeInUseBytes,
                    )})`
                  ) : (
                    <Typography variant="caption" color="error">
                      {m.statusError?.message ?? '—'}
                    </Typography>
                  )}
                </TableCell>
                <TableCell>{m.status?.raftIndex ?? '—'}</TableCell>
                <TableCell>
                  {m.alarms.length
                    ? m.alarms.map(a => (
                        <Chip
                          key={a}
                          size="small"
                          color="secondary"
                          label={a}
                        />
                      ))
                    : t('etcd.noAlarms')}
                  {m.status?.errors.map(e => (
                    <Typography
                      key={e}
                      variant="caption"
                      color="error"
                      component="div"
                    >
                      {e}
                    </Typography>
                  ))}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
}
