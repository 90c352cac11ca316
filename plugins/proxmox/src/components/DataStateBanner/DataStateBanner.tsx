import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { ProxmoxDataState } from '@homelab-portal/plugin-proxmox-common';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { formatAge } from '../../lib/format';
import { proxmoxTranslationRef } from '../../translation';

/**
 * How fresh the data is, and - when Proxmox cannot be read - a banner with
 * the backend's message (what failed and what to do), above the last data.
 */
export function DataStateBanner(props: {
  state?: ProxmoxDataState;
  /** The portal backend itself failed (no data at all, or a refresh failed). */
  error?: Error;
  onRetry?: () => void;
}) {
  const { t } = useTranslationRef(proxmoxTranslationRef);
  const { state, error, onRetry } = props;
  const age = state?.fetchedAt
    ? formatAge(Date.parse(state.fetchedAt) / 1000)
    : undefined;
  const message = state?.error?.message ?? error?.message;
  if (message) {
    return (
      <Alert
        severity={state?.fetchedAt ? 'warning' : 'error'}
        role="alert"
        action={
          onRetry && (
            <Button color="inherit" size="small" onClick={onRetry}>
              {t('state.retry')}
            </Button>
          )
        }
      >
        <AlertTitle>{t('state.unreachable')}</AlertTitle>
        {message}
        {age && (
          <Typography variant="body2" component="div" style={{ marginTop: 4 }}>
            {t('state.staleSince', { age })}
          </Typography>
        )}
      </Alert>
    );
  }
  if (!age) return null;
  return (
    <Typography variant="caption" color="textSecondary" component="div">
      {t('state.dataFrom', { age })}
    </Typography>
  );
}
