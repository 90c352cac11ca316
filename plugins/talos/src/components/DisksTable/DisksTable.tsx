import { InfoCard } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { TalosNodeView } from '@homelab-portal/plugin-talos-common';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { formatBytes, nodeLabel } from '../../lib/format';
import { talosTranslationRef } from '../../translation';

/** Block devices per node (Disks.block.talos.dev) and the EPHEMERAL volume's size. */
export function DisksTable(props: { nodes: TalosNodeView[] }) {
  const { t } = useTranslationRef(talosTranslationRef);
  const many = props.nodes.length > 1;
  return (
    <InfoCard title={t('disks.title')} noPadding>
      <Table size="small" aria-label={t('disks.title')}>
        <TableHead>
          <TableRow>
            {many && <TableCell>{t('nodes.node')}</TableCell>}
            <TableCell>{t('disks.device')}</TableCell>
            <TableCell>{t('disks.model')}</TableCell>
            <TableCell>{t('disks.size')}</TableCell>
            <TableCell>{t('disks.ephemeral')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {props.nodes.map(node => {
            const eph = node.volumes.find(v => v.id === 'EPHEMERAL');
            if (!node.reachable) {
              return (
                <TableRow key={node.address}>
                  {many && <TableCell>{nodeLabel(node)}</TableCell>}
                  <TableCell colSpan={4}>
                    <Typography variant="caption" color="error">
                      {node.error?.message}
                    </Typography>
                  </TableCell>
                </TableRow>
              );
            }
            return node.disks
              .filter(d => !d.cdrom)
              .map(d => (
                <TableRow key={`${node.address}-${d.id}`}>
                  {many && <TableCell>{nodeLabel(node)}</TableCell>}
                  <TableCell>
                    {d.devPath}{' '}
                    {d.system && (
                      <Chip size="small" label={t('disks.system')} />
                    )}
                  </TableCell>
                  <TableCell>
                    {[d.model, d.transport].filter(Boolean).join(', ') || '—'}
                  </TableCell>
                  <TableCell>{formatBytes(d.sizeBytes)}</TableCell>
                  <TableCell>
                    {d.system && eph
                      ? `${formatBytes(eph.sizeBytes)} ${
                          eph.filesystem ?? ''
                        } (${eph.phase})`
                      : ''}
                  </TableCell>
                </TableRow>
              ));
          })}
        </TableBody>
      </Table>
    </InfoCard>
  );
}
