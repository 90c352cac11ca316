import {
  ANNOTATION_KUBERNETES_ID,
  certificateLevel,
  CertificateView,
} from '@homelab-portal/plugin-gitops-common';
import { conditionOf } from '../status/conditions';
import { KubeObject } from './clusterAccess';
import { Snapshot } from './Snapshot';

/** RFC 6125: a `*.` name covers exactly one label. */
export function dnsNameCovers(pattern: string, host: string): boolean {
  if (!pattern.startsWith('*.')) return pattern === host;
  const rest = host.slice(host.indexOf('.') + 1);
  return host.includes('.') && rest === pattern.slice(2);
}

/** The Secrets a route's parent listeners serve (`tls.certificateRefs`). */
function listenerSecrets(route: KubeObject, gateways: KubeObject[]) {
  const out: { namespace: string; name: string }[] = [];
  for (const ref of route.spec?.parentRefs ?? []) {
    const ns = ref.namespace ?? route.metadata.namespace;
    const gw = gateways.find(
      g => g.metadata.name === ref.name && g.metadata.namespace === ns,
    );
    for (const l of gw?.spec?.listeners ?? []) {
      if (ref.sectionName && l.name !== ref.sectionName) continue;
      for (const c of l.tls?.certificateRefs ?? [])
        out.push({ namespace: c.namespace ?? ns, name: c.name });
    }
  }
  return out;
}

/**
 * Days left per certificate, from cert-manager's status
 * (notes/gitops-status.md §3), with the hosts and apps it serves: a route
 * attached to a Gateway listener gets that listener's certificate; a
 * Certificate labelled for an app belongs to it too.
 */
export function certificatesOf(s: Snapshot, now: number): CertificateView[] {
  return s.cluster.certificates.map(cert => {
    const ready = conditionOf(cert, 'Ready');
    const issuing = conditionOf(cert, 'Issuing');
    const ns = cert.metadata.namespace ?? '';
    const secret = cert.spec?.secretName ?? cert.metadata.name;
    const routes = s.cluster.httproutes.filter(r =>
      listenerSecrets(r, s.cluster.gateways).some(
        x => x.namespace === ns && x.name === secret,
      ),
    );
    const dnsNames: string[] = cert.spec?.dnsNames ?? [];
    const hostnames = [
      ...new Set(
        routes
          .flatMap(r => (r.spec?.hostnames ?? []) as string[])
          .filter(h => dnsNames.some(d => dnsNameCovers(d, h))),
      ),
    ].sort();
    const own = cert.metadata.labels?.[ANNOTATION_KUBERNETES_ID];
    const apps = [
      ...new Set(
        [
          ...routes.map(r => r.metadata.labels?.[ANNOTATION_KUBERNETES_ID]),
          own,
        ].filter((x): x is string => Boolean(x)),
      ),
    ].sort();
    const notAfter = cert.status?.notAfter as string | undefined;
    const daysLeft =
      notAfter !== undefined
        ? Math.floor(((Date.parse(notAfter) - now) / 86_400_000) * 10) / 10
        : undefined;
    const isReady = ready?.status === 'True';
    return {
      name: cert.metadata.name,
      namespace: ns,
      dnsNames,
      hostnames: hostnames.length
        ? hostnames
        : dnsNames.filter(d => !d.startsWith('*.')),
      apps,
      ready: isReady,
      reason: ready?.reason ?? 'Unknown',
      message: ready?.message ?? 'cert-manager has not reported on it yet',
      issuer: cert.spec?.issuerRef?.name ?? '',
      notAfter,
      renewalTime: cert.status?.renewalTime,
      daysLeft,
      failure:
        issuing?.status === 'False' && issuing.reason === 'Failed'
          ? issuing.message
          : undefined,
      level: certificateLevel(isReady, daysLeft),
    };
  });
}
