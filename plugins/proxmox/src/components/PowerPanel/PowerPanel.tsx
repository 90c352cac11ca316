import { toError } from '@backstage/errors';
import { InfoCard } from '@backstage/core-components';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  proxmoxEntityRef,
  proxmoxGuestPowerPermission,
  ProxmoxGuestSummary,
  ProxmoxInstanceInfo,
  ProxmoxPowerAction,
  ProxmoxTask,
} from '@homelab-portal/plugin-proxmox-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import LinearProgress from '@material-ui/core/LinearProgress';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useEffect, useState } from 'react';
import { proxmoxApiRef } from '../../api/ProxmoxApi';
import { proxmoxTranslationRef } from '../../translation';

const label: Record<
  ProxmoxPowerAction,
  'power.start' | 'power.shutdown' | 'power.reboot' | 'power.stop'
> = {
  start: 'power.start',
  shutdown: 'power.shutdown',
  reboot: 'power.reboot',
  stop: 'power.stop',
};

const explain: Record<ProxmoxPowerAction, string> = {
  start: 'Proxmox starts the guest.',
  shutdown:
    'Proxmox asks the guest to shut down cleanly (ACPI or guest agent); the services on it stop.',
  reboot:
    'Proxmox asks the guest to reboot cleanly; the services on it are down for a moment.',
  stop: 'Proxmox stops the guest at once, like pulling the power cord. Unsaved data in the guest is lost.',
};

type Running = {
  action: ProxmoxPowerAction;
  upid: string;
  since: number;
  task?: ProxmoxTask;
};

/**
 * Start / shut down / reboot / stop with a confirmation, then the task's
 * progress until Proxmox reports its end. Offered only to users with
 * `proxmox.guest.power`; others see the buttons disabled, with the reason.
 */
export function PowerPanel(props: {
  instance?: ProxmoxInstanceInfo;
  guest: ProxmoxGuestSummary;
  /** Live run state (status/current), else the list's. */
  status: string;
  onChanged: () => void;
}) {
  const { t } = useTranslationRef(proxmoxTranslationRef);
  const api = useApi(proxmoxApiRef);
  const { guest, instance, onChanged } = props;
  // Keyed by the guest's entity: the policy may exclude some guests.
  const permission = usePermission({
    permission: proxmoxGuestPowerPermission,
    resourceRef: instance
      ? proxmoxEntityRef({
          instance: instance.id,
          kind: guest.type,
          vmid: guest.vmid,
        })
      : undefined,
  });
  const [asking, setAsking] = useState<ProxmoxPowerAction>();
  const [running, setRunning] = useState<Running>();
  const [result, setResult] = useState<{ ok: boolean; text: string }>();
  const [now, setNow] = useState(Date.now());

  const name = `${guest.name} (${guest.type === 'qemu' ? 'VM' : 'CT'} ${
    guest.vmid
  })`;
  const up = props.status !== 'stopped';
  let reason: string | undefined;
  if (permission.loading) reason = '…';
  else if (!permission.allowed) reason = t('power.notAllowed');
  else if (!instance?.powerActionsConfigured) reason = t('power.notConfigured');
  else if (guest.template) reason = t('power.template');

  const upid = running?.upid;
  const runningAction = running?.action;
  const instanceId = instance?.id;
  useEffect(() => {
    if (!upid || !instanceId || !runningAction) return undefined;
    let active = true;
    const timer = setInterval(async () => {
      setNow(Date.now());
      try {
        const status = await api.getTaskStatus(instanceId, upid);
        if (!active) return;
        setRunning(r =>
          r && r.upid === upid ? { ...r, task: status.task } : r,
        );
        if (status.task.status === 'stopped') {
          active = false;
          clearInterval(timer);
          setResult({
            ok: !!status.task.ok,
            text: `${t(label[runningAction])}: ${
              status.task.exitstatus ?? 'finished'
            }`,
          });
          onChanged();
        }
      } catch (error) {
        // A failed poll is not a failed task: keep following.
        if (active) setResult({ ok: false, text: toError(error).message });
      }
    }, 1000);
    return () => {
      active = false;
      clearInterval(timer);
    };
  }, [api, upid, runningAction, instanceId, onChanged, t]);

  const start = async (action: ProxmoxPowerAction) => {
    setAsking(undefined);
    setResult(undefined);
    try {
      const res = await api.power(instance!.id, guest.vmid, action);
      setRunning({ action, upid: res.upid, since: Date.now() });
      onChanged();
    } catch (error) {
      setResult({ ok: false, text: toError(error).message });
      onChanged();
    }
  };

  const busy = !!running && running.task?.status !== 'stopped';
  const buttons: { action: ProxmoxPowerAction; enabled: boolean }[] = [
    { action: 'start', enabled: !up },
    { action: 'shutdown', enabled: up },
    { action: 'reboot', enabled: up },
    { action: 'stop', enabled: up },
  ];

  return (
    <InfoCard title={t('power.title')}>
      <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
        {buttons.map(b => {
          const disabled = !!reason || !b.enabled || busy;
          const button = (
            <Button
              variant="outlined"
              color={b.action === 'stop' ? 'secondary' : 'primary'}
              disabled={disabled}
              onClick={() => setAsking(b.action)}
            >
              {t(label[b.action])}
            </Button>
          );
          // One tree shape whatever the reason, so buttons keep their DOM node.
          return (
            <Tooltip
              key={b.action}
              title={reason && reason !== '…' ? reason : ''}
            >
              <span>{button}</span>
            </Tooltip>
          );
        })}
      </Box>
      {reason && reason !== '…' && (
        <Typography
          variant="body2"
          color="textSecondary"
          style={{ marginTop: 8 }}
        >
          {reason}
        </Typography>
      )}
      {busy && running && (
        <Box marginTop={2} role="status">
          <Typography variant="body2">
            {t(label[running.action])}: {t('power.running')}{' '}
            {Math.max(0, Math.round((now - running.since) / 1000))} s
          </Typography>
          <LinearProgress aria-label={t('power.running')} />
          <Typography variant="caption" color="textSecondary">
            {running.upid}
          </Typography>
        </Box>
      )}
      {result && (
        <Box marginTop={2}>
          <Alert severity={result.ok ? 'success' : 'error'}>
            {result.text}
          </Alert>
        </Box>
      )}
      <Dialog open={!!asking} onClose={() => setAsking(undefined)}>
        {asking && (
          <>
            <DialogTitle>
              {t('power.confirmTitle', { action: t(label[asking]), name })}
            </DialogTitle>
            <DialogContent>
              <DialogContentText>
                {explain[asking]} {name} runs on node {guest.node}.
              </DialogContentText>
            </DialogContent>
            <DialogActions>
              <Button onClick={() => setAsking(undefined)}>
                {t('power.cancel')}
              </Button>
              <Button
                color={asking === 'stop' ? 'secondary' : 'primary'}
                variant="contained"
                onClick={() => start(asking)}
              >
                {t('power.confirm', { action: t(label[asking]) })}
              </Button>
            </DialogActions>
          </>
        )}
      </Dialog>
    </InfoCard>
  );
}
