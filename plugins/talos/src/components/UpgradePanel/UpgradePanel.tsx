import { InfoCard } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { TalosUpgradeAdvice } from '@homelab-portal/plugin-talos-common';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { talosTranslationRef } from '../../translation';

function Row(props: { label: string; children: React.ReactNode }) {
  return (
    <Typography variant="body2" gutterBottom>
      <strong>{props.label}:</strong> {props.children}
    </Typography>
  );
}

/** Newest Talos and Kubernetes releases and how to get there under the support matrix. */
export function UpgradePanel(props: { advice: TalosUpgradeAdvice }) {
  const { t } = useTranslationRef(talosTranslationRef);
  const { talos, kubernetes, source, error } = props.advice;
  return (
    <InfoCard
      title={t('upgrades.title')}
      subheader={
        source === 'none'
          ? t('upgrades.noSource')
          : `${t('upgrades.source')} ${
              source === 'image-factory' ? 'Image Factory' : 'app-config'
            }`
      }
    >
      {error && (
        <Typography variant="body2" color="error" gutterBottom>
          {error}
        </Typography>
      )}
      <Typography variant="subtitle2">Talos</Typography>
      <Row label={t('upgrades.running')}>{talos.running.join(', ') || '—'}</Row>
      {talos.latest && <Row label={t('upgrades.latest')}>{talos.latest}</Row>}
      {talos.latestPatch && (
        <Row label={t('upgrades.latestPatch')}>{talos.latestPatch}</Row>
      )}
      {talos.path.length > 0 ? (
        <Row label={t('upgrades.path')}>
          {[talos.running[0], ...talos.path].map((v, i) => (
            <span key={v}>
              {i > 0 && ' → '}
              <Chip
                size="small"
                label={v}
                variant={i === 0 ? 'outlined' : 'default'}
              />
            </span>
          ))}
        </Row>
      ) : (
        talos.latest &&
        talos.notes.length === 0 && (
          <Row label={t('upgrades.path')}>{t('upgrades.upToDate')}</Row>
        )
      )}
      {talos.notes.map(n => (
        <Typography
          key={n}
          variant="caption"
          color="textSecondary"
          component="div"
        >
          {n}
        </Typography>
      ))}
      <Typography variant="subtitle2" style={{ marginTop: 12 }}>
        Kubernetes
      </Typography>
      <Row label={t('upgrades.running')}>
        {kubernetes.running.join(', ') || '—'}
      </Row>
      {kubernetes.latestSupported && (
        <Row label={t('upgrades.latestSupported')}>
          {kubernetes.latestSupported}
        </Row>
      )}
      {kubernetes.latest && (
        <Row label={t('upgrades.latest')}>{kubernetes.latest}</Row>
      )}
      {kubernetes.notes.map(n => (
        <Typography
          key={n}
          variant="caption"
          color="textSecondary"
          component="div"
        >
          {n}
        </Typography>
      ))}
    </InfoCard>
  );
}
