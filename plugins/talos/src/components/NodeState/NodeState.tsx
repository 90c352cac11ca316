import {
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { TalosNodeView } from '@homelab-portal/plugin-talos-common';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { talosTranslationRef } from '../../translation';

/** Up and ready / up, not ready / down, with the reason on hover and below. */
export function NodeState(props: {
  node: TalosNodeView;
  showReason?: boolean;
}) {
  const { t } = useTranslationRef(talosTranslationRef);
  const { node } = props;
  if (!node.reachable) {
    return (
      <>
        <StatusError>{t('nodes.down')}</StatusError>
        {props.showReason !== false && (
          <Typography
            variant="caption"
            color="textSecondary"
            component="div"
            style={{ whiteSpace: 'normal', maxWidth: 320 }}
          >
            {node.error?.message}
          </Typography>
        )}
      </>
    );
  }
  const stage = node.stage ?? 'unknown';
  const conditions = node.unmetConditions
    .map(u => `${u.name}: ${u.reason}`)
    .join('; ');
  return node.ready ? (
    <StatusOK>
      {t('nodes.up')} · {stage}, {t('nodes.ready')}
    </StatusOK>
  ) : (
    <Tooltip title={conditions || stage}>
      <span>
        <StatusWarning>
          {t('nodes.up')} · {stage}, {t('nodes.notReady')}
        </StatusWarning>
      </span>
    </Tooltip>
  );
}
