import {
  Content,
  EmptyState,
  Header,
  HeaderLabel,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import Grid from '@material-ui/core/Grid';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { talosApiRef } from '../../api/TalosApi';
import { usePolled } from '@homelab-portal/homelab-react';
import { formatTime } from '../../lib/format';
import { talosTranslationRef } from '../../translation';
import { DisksTable } from '../DisksTable';
import { EtcdPanel } from '../EtcdPanel';
import { HealthChecks } from '../HealthChecks';
import { NodeCharts } from '../NodeCharts';
import { NodesTable } from '../NodesTable';
import { ServicesGrid } from '../ServicesGrid';
import { UpgradePanel } from '../UpgradePanel';

/** The body of the page for one cluster; refreshes every 10 s. */
export function TalosClusterView(props: {
  cluster: string;
  intervalMs?: number;
}) {
  const { t } = useTranslationRef(talosTranslationRef);
  const api = useApi(talosApiRef);
  const { value, error, loading } = usePolled(
    () => api.getCluster(props.cluster),
    props.intervalMs ?? 10_000,
    [api, props.cluster],
  );
  if (loading) return <Progress />;
  if (!value)
    return <ResponseErrorPanel title={t('page.loadFailed')} error={error!} />;
  return (
    <Grid container spacing={3}>
      {error && (
        <Grid item xs={12}>
          <ResponseErrorPanel title={t('page.loadFailed')} error={error} />
        </Grid>
      )}
      <Grid item xs={12}>
        <NodesTable nodes={value.nodes} links={value.links} />
      </Grid>
      {value.nodes.map(n => (
        <Grid item xs={12} md={6} key={n.address}>
          <NodeCharts node={n} />
        </Grid>
      ))}
      <Grid item xs={12} md={7}>
        <HealthChecks checks={value.health} />
      </Grid>
      <Grid item xs={12} md={5}>
        <UpgradePanel advice={value.upgrades} />
      </Grid>
      <Grid item xs={12}>
        <ServicesGrid nodes={value.nodes} />
      </Grid>
      <Grid item xs={12} md={6}>
        <EtcdPanel etcd={value.etcd} />
      </Grid>
      <Grid item xs={12} md={6}>
        <DisksTable nodes={value.nodes} />
      </Grid>
      <Grid item xs={12}>
        <HeaderLabelsNote
          updated={value.fetchedAt}
          roles={value.roles}
          endpoints={value.endpoints}
        />
      </Grid>
    </Grid>
  );
}

function HeaderLabelsNote(props: {
  updated: string;
  roles: string[];
  endpoints: string[];
}) {
  const { t } = useTranslationRef(talosTranslationRef);
  return (
    <div style={{ display: 'flex', gap: 24, opacity: 0.8 }}>
      <HeaderLabel
        label={t('page.updated')}
        value={formatTime(props.updated)}
      />
      <HeaderLabel
        label={t('page.role')}
        value={props.roles.join(', ') || '—'}
      />
      <HeaderLabel
        label={t('page.endpoint')}
        value={props.endpoints.join(', ')}
      />
    </div>
  );
}

/** The Talos page: a tab per configured cluster (`?cluster=` selects one). */
export function TalosClusterPage() {
  const { t } = useTranslationRef(talosTranslationRef);
  const api = useApi(talosApiRef);
  const [params, setParams] = useSearchParams();
  const [clusters, setClusters] = useState<{ name: string; title: string }[]>();
  const [error, setError] = useState<Error>();
  useEffect(() => {
    api.listClusters().then(setClusters, setError);
  }, [api]);
  const selected = params.get('cluster') ?? clusters?.[0]?.name;

  let body;
  if (error)
    body = <ResponseErrorPanel title={t('page.loadFailed')} error={error} />;
  else if (!clusters) body = <Progress />;
  else if (clusters.length === 0) {
    body = (
      <EmptyState
        missing="info"
        title={t('page.noClusters')}
        description={t('page.noClustersHelp')}
      />
    );
  } else {
    body = (
      <>
        {clusters.length > 1 && (
          <Tabs
            value={selected}
            onChange={(_e, v) => setParams({ cluster: v })}
          >
            {clusters.map(c => (
              <Tab key={c.name} value={c.name} label={c.title} />
            ))}
          </Tabs>
        )}
        <TalosClusterView cluster={selected!} />
      </>
    );
  }
  return (
    <Page themeId="tool">
      <Header
        title={t('page.title')}
        subtitle={
          clusters?.find(c => c.name === selected)?.title ?? t('page.subtitle')
        }
      />
      <Content>{body}</Content>
    </Page>
  );
}
