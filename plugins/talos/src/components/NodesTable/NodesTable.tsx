import { InfoCard } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type {
  TalosNodeLink,
  TalosNodeView,
} from '@homelab-portal/plugin-talos-common';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  formatBytes,
  formatPercent,
  formatUptime,
  nodeLabel,
} from '../../lib/format';
import { talosTranslationRef } from '../../translation';
import { NodeState } from '../NodeState';

const useStyles = makeStyles({
  scroll: { overflowX: 'auto' },
  // Versions, sizes and headings read badly when broken over lines.
  table: { '& th, & td': { whiteSpace: 'nowrap' } },
});

/** One row per node: who it is, whether it answers, what it runs, how loaded. */
export function NodesTable(props: {
  nodes: TalosNodeView[];
  links: TalosNodeLink[];
}) {
  const { t } = useTranslationRef(talosTranslationRef);
  const classes = useStyles();
  return (
    <InfoCard title={t('nodes.title')} noPadding>
      <div className={classes.scroll}>
        <Table
          size="small"
          aria-label={t('nodes.title')}
          className={classes.table}
        >
          <TableHead>
            <TableRow>
              <TableCell>{t('nodes.node')}</TableCell>
              <TableCell>{t('nodes.state')}</TableCell>
              <TableCell>{t('nodes.talos')}</TableCell>
              <TableCell>{t('nodes.kubernetes')}</TableCell>
              <TableCell>{t('nodes.uptime')}</TableCell>
              <TableCell>{t('nodes.cpu')}</TableCell>
              <TableCell>{t('nodes.memory')}</TableCell>
              <TableCell>{t('nodes.load')}</TableCell>
              <TableCell>{t('nodes.links')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {props.nodes.map(node => {
              const link = props.links.find(
                l => l.node.address === node.address,
              );
              return (
                <TableRow
                  key={node.address}
                  data-testid={`node-row-${node.address}`}
                >
                  <TableCell>
                    <Typography variant="body2">
                      <strong>{nodeLabel(node)}</strong>
                    </Typography>
                    <Typography variant="caption" color="textSecondary">
                      {node.address}
                    </Typography>{' '}
                    <Chip
                      size="small"
                      label={node.role}
                      variant={
                        node.role === 'controlplane' ? 'default' : 'outlined'
                      }
                    />
                  </TableCell>

                  <TableCell>
                    <NodeState node={node} />
                  </TableCell>
                  <TableCell>{node.talosVersion ?? '—'}</TableCell>
                  <TableCell>
                    {node.kubernetesVersion ? (
                      <Tooltip title={`from ${node.kubernetesVersionSource}`}>
                        <span>{node.kubernetesVersion}</span>
                      </Tooltip>
                    ) : (
                      '—'
                    )}
                  </TableCell>
                  <TableCell>
                    {node.reachable ? formatUptime(node.uptimeSeconds) : '—'}
                  </TableCell>
                  <TableCell>
                    {node.cpu
                      ? `${node.cpu.count} × ${
                          node.cpu.mhz
                            ? `${(node.cpu.mhz / 1000).toFixed(1)} GHz`
                            : 'CPU'
                        }`
                      : '—'}
                    {node.cpu?.usagePercent !== undefined && (
                      <Typography
                        variant="caption"
                        color="textSecondary"
                        component="div"
                      >
                        {node.cpu.usagePercent}%
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell>
                    {node.memory ? (
                      <>
                        {formatBytes(node.memory.usedBytes)} /{' '}
                        {formatBytes(node.memory.totalBytes)}
                        <Typography
                          variant="caption"
                          color="textSecondary"
                          component="div"
                        >
                          {formatPercent(
                            node.memory.usedBytes,
                            node.memory.totalBytes,
                          )}
                        </Typography>
                      </>
                    ) : (
                      '—'
                    )}
                  </TableCell>
                  <TableCell>
                    {node.load ? node.load.load1.toFixed(2) : '—'}
                  </TableCell>
                  <TableCell>
                    {link?.vm ? (
                      <EntityRefLink
                        entityRef={link.vm.entityRef}
                        title={link.vm.title}
                      />
                    ) : (
                      '—'
                    )}
                    <Typography
                      variant="caption"
                      color="textSecondary"
                      component="div"
                    >
                      {link?.kubernetesNode
                        ? `k8s: ${link.kubernetesNode.name}`
                        : ''}
                    </Typography>
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </div>
    </InfoCard>
  );
}
