import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import Grid from '@material-ui/core/Grid';
import { talosApiRef } from '../../api/TalosApi';
import { usePolled } from '@homelab-portal/homelab-react';
import { isNotFound } from '../../lib/format';
import { talosTranslationRef } from '../../translation';
import { DisksTable } from '../DisksTable';
import { NodeCharts } from '../NodeCharts';
import { ServicesGrid } from '../ServicesGrid';
import { TalosLinks } from '../TalosLinkCard';

/** The Talos tab of a VM entity: the node in this VM, its links, services, charts and disks. */
export function TalosVmContent(props: { intervalMs?: number }) {
  const { t } = useTranslationRef(talosTranslationRef);
  const { entity } = useEntity();
  const api = useApi(talosApiRef);
  const ref = stringifyEntityRef(entity);
  const { value, error, loading } = usePolled(
    () => api.getEntityView(ref),
    props.intervalMs ?? 10_000,
    [api, ref],
  );
  if (loading) return <Progress />;
  if (!value) {
    if (isNotFound(error)) {
      return (
        <EmptyState
          missing="data"
          title={t('entity.notLinked')}
          description={t('entity.notLinkedHelp')}
        />
      );
    }
    return <ResponseErrorPanel title={t('page.loadFailed')} error={error!} />;
  }
  const { node } = value;
  return (
    <Grid container spacing={3}>
      {!node.reachable && (
        <Grid item xs={12}>
          <WarningPanel
            severity="error"
            title={t('entity.nodeDown')}
            message={node.error?.message}
          />
        </Grid>
      )}
      <Grid item xs={12} md={5}>
        <InfoCard title={t('entity.linkTitle')}>
          <TalosLinks view={value} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={7}>
        <NodeCharts node={node} />
      </Grid>
      {node.reachable && (
        <>
          <Grid item xs={12} md={6}>
            <ServicesGrid nodes={[node]} />
          </Grid>
          <Grid item xs={12} md={6}>
            <DisksTable nodes={[node]} />
          </Grid>
        </>
      )}
    </Grid>
  );
}
