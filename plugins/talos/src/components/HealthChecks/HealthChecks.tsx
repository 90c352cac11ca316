import {
  InfoCard,
  StatusError,
  StatusOK,
  StatusPending,
} from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { TalosHealthCheck } from '@homelab-portal/plugin-talos-common';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import { talosTranslationRef } from '../../translation';

const ICONS = { pass: StatusOK, fail: StatusError, skipped: StatusPending };

/** The `talosctl health` checks in order, each with its verdict and reason. */
export function HealthChecks(props: { checks: TalosHealthCheck[] }) {
  const { t } = useTranslationRef(talosTranslationRef);
  const failed = props.checks.filter(c => c.status === 'fail').length;
  return (
    <InfoCard
      title={t('health.title')}
      subheader={
        failed ? `${failed} of ${props.checks.length} failing` : undefined
      }
      noPadding
    >
      <List dense aria-label={t('health.title')}>
        {props.checks.map(c => {
          const Icon = ICONS[c.status];
          return (
            <ListItem
              key={c.id}
              data-testid={`health-${c.id}`}
              data-status={c.status}
            >
              <ListItemText
                primary={
                  <Icon>
                    {c.title} — {t(`health.${c.status}`)}
                  </Icon>
                }
                secondary={c.reason}
              />
            </ListItem>
          );
        })}
      </List>
    </InfoCard>
  );
}
