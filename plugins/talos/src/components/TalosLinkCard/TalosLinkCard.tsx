import { InfoCard, Link, Progress } from '@backstage/core-components';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { TalosEntityView } from '@homelab-portal/plugin-talos-common';
import Typography from '@material-ui/core/Typography';
import { talosApiRef } from '../../api/TalosApi';
import { useClusterPageLink } from '../../hooks/clusterPageLink';
import { usePolled } from '@homelab-portal/homelab-react';
import { isNotFound } from '../../lib/format';
import { talosTranslationRef } from '../../translation';
import { NodeState } from '../NodeState';

const MATCH: Record<string, string> = {
  'smbios-uuid': 'SMBIOS UUID',
  mac: 'MAC address',
  ip: 'IP address',
  name: 'name',
  annotation: 'annotation',
};

function Step(props: { label: string; children: React.ReactNode }) {
  return (
    <div style={{ marginBottom: 12 }}>
      <Typography variant="overline" color="textSecondary" component="div">
        {props.label}
      </Typography>
      {props.children}
    </div>
  );
}

/** The chain VM ↔ Talos node ↔ Kubernetes Node, with how each link was found. */
export function TalosLinks(props: { view: TalosEntityView }) {
  const { t } = useTranslationRef(talosTranslationRef);
  const clusterLink = useClusterPageLink();
  const { link, node } = props.view;
  return (
    <>
      <Step label={t('entity.vm')}>
        {link.vm ? (
          <Typography variant="body2">
            <EntityRefLink
              entityRef={link.vm.entityRef}
              title={link.vm.title}
            />{' '}
            <Typography variant="caption" color="textSecondary">
              ({t('entity.matchedBy')} {MATCH[link.vm.matchedBy]})
            </Typography>
          </Typography>
        ) : (
          t('entity.none')
        )}
      </Step>
      <Step label={t('entity.talosNode')}>
        <Typography variant="body2">
          <strong>{node.hostname ?? node.address}</strong> ({node.address},{' '}
          {node.role}
          {node.talosVersion ? `, Talos ${node.talosVersion}` : ''}){' '}
          {clusterLink && (
            <Link to={clusterLink(link.cluster)}>
              {t('entity.openCluster')}
            </Link>
          )}
        </Typography>
        <NodeState node={node} />
      </Step>
      <Step label={t('entity.kubernetesNode')}>
        {link.kubernetesNode ? (
          <Typography variant="body2">
            {link.kubernetesNode.name} (
            {link.kubernetesNode.ready ? t('nodes.ready') : t('nodes.notReady')}
            {link.kubernetesNode.kubeletVersion
              ? `, kubelet ${link.kubernetesNode.kubeletVersion}`
              : ''}
            ){' '}
            <Typography variant="caption" color="textSecondary">
              ({t('entity.matchedBy')} {MATCH[link.kubernetesNode.matchedBy]})
            </Typography>
          </Typography>
        ) : (
          <Typography variant="body2">{t('entity.none')}</Typography>
        )}
      </Step>
    </>
  );
}

/** Entity card on a Talos VM: the same chain, compact. */
export function TalosLinkCard() {
  const { t } = useTranslationRef(talosTranslationRef);
  const { entity } = useEntity();
  const api = useApi(talosApiRef);
  const ref = stringifyEntityRef(entity);
  const { value, error, loading } = usePolled(
    () => api.getEntityView(ref),
    30_000,
    [api, ref],
  );
  return (
    <InfoCard title={t('entity.linkTitle')}>
      {loading && <Progress />}
      {!loading && value && <TalosLinks view={value} />}
      {!loading && !value && (
        <Typography variant="body2" color="textSecondary">
          {isNotFound(error) ? t('entity.notLinked') : error?.message}
        </Typography>
      )}
    </InfoCard>
  );
}
