import { InfoCard } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type {
  TalosNodeView,
  TalosServiceView,
} from '@homelab-portal/plugin-talos-common';
import { makeStyles } from '@material-ui/core/styles';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import { nodeLabel } from '../../lib/format';
import { talosTranslationRef } from '../../translation';

const useStyles = makeStyles(theme => ({
  cell: {
    display: 'inline-block',
    minWidth: 88,
    padding: theme.spacing(0.25, 1),
    borderRadius: 4,
    fontSize: '0.75rem',
    textAlign: 'center',
  },
  healthy: {
    background: theme.palette.success?.main ?? '#2e7d32',
    color: '#fff',
  },
  unhealthy: { background: theme.palette.error.main, color: '#fff' },
  unknown: { background: theme.palette.grey[500], color: '#fff' },
  absent: { color: theme.palette.text.disabled },
  down: { background: theme.palette.grey[300], color: theme.palette.grey[800] },
}));

/** Services × nodes: each cell the service's state and health on that node. */
export function ServicesGrid(props: { nodes: TalosNodeView[] }) {
  const { t } = useTranslationRef(talosTranslationRef);
  const classes = useStyles();
  const ids = [
    ...new Set(props.nodes.flatMap(n => n.services.map(s => s.id))),
  ].sort();

  const cell = (node: TalosNodeView, service?: TalosServiceView) => {
    if (!node.reachable) {
      return (
        <span className={`${classes.cell} ${classes.down}`}>
          {t('services.nodeDown')}
        </span>
      );
    }
    if (!service)
      return <span className={`${classes.cell} ${classes.absent}`}>—</span>;
    const last = service.events[service.events.length - 1];
    const label = {
      healthy: t('services.healthy'),
      unknown: t('services.unknown'),
      unhealthy: t('services.unhealthy'),
    }[service.health];
    const tip = [
      `${service.state}, ${label}`,
      service.lastMessage,
      last
        ? `last event: ${last.message}${
            last.at ? ` (${new Date(last.at).toLocaleString()})` : ''
          }`
        : '',
    ]
      .filter(Boolean)
      .join(' — ');
    let style = classes.healthy;
    if (service.state !== 'Running' || service.health === 'unhealthy') {
      style = classes.unhealthy;
    } else if (service.health === 'unknown') {
      style = classes.unknown;
    }
    return (
      <Tooltip title={tip}>
        <span
          className={`${classes.cell} ${style}`}
          aria-label={`${service.id} on ${nodeLabel(node)}: ${tip}`}
        >
          {service.state}
        </span>
      </Tooltip>
    );
  };

  return (
    <InfoCard title={t('services.title')} noPadding>
      <Table size="small" aria-label={t('services.title')}>
        <TableHead>
          <TableRow>
            <TableCell>{t('services.service')}</TableCell>
            {props.nodes.map(n => (
              <TableCell key={n.address}>{nodeLabel(n)}</TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {ids.map(id => (
            <TableRow key={id}>
              <TableCell>{id}</TableCell>
              {props.nodes.map(n => (
                <TableCell key={n.address}>
                  {cell(
                    n,
                    n.services.find(s => s.id === id),
                  )}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </InfoCard>
  );
}
