import { iso } from '../identity';
import { listenerSecret } from '../gateway';
import { resourceVersion } from '../pods';
import { Topology } from '../topology';
import { condition } from './conditions';

type Obj = Record<string, any>;
const DAY = 86_400_000;
const LIFETIME = 90 * DAY;

/**
 * cert-manager Certificates of the scenario (notes/gitops-status.md §3):
 * Let's Encrypt's 90-day lifetime, renewal at two thirds of it; a failing
 * renewal keeps Ready=True until expiry with `Issuing=False/Failed`, a
 * never-issued certificate is `Ready=False/DoesNotExist`. A Gateway
 * listener's Certificate is owned by the Gateway, as gateway-shim makes it.
 */
export function buildCertificates(t: Topology, startedAt: number): Obj[] {
  const day = Math.floor(startedAt / DAY) * DAY;
  return t.scenario.gitops.certificates.map(c => {
    const gateways = t.scenario.kubernetes.gateways.filter(
      g => g.namespace === c.namespace && listenerSecret(t, g) === c.name,
    );
    const createdAt = t.clusterCreatedAt + 45 * 60_000;
    const notAfter =
      c.daysLeft !== undefined ? day + c.daysLeft * DAY : undefined;
    const notBefore = notAfter !== undefined ? notAfter - LIFETIME : undefined;
    const renewalTime =
      notAfter !== undefined ? notAfter - LIFETIME / 3 : undefined;
    const failedAt = startedAt - 2 * 3_600_000;
    const retry =
      'The certificate request has failed to complete and will be retried: ';
    const conditions =
      notAfter !== undefined
        ? [
            condition(
              'Ready',
              'True',
              'Ready',
              'Certificate is up to date and has not expired',
              notBefore!,
              1,
            ),
          ]
        : [
            condition(
              'Ready',
              'False',
              'DoesNotExist',
              'Issuing certificate as Secret does not exist',
              createdAt,
              1,
            ),
          ];
    if (c.failure)
      conditions.push(
        condition('Issuing', 'False', 'Failed', retry + c.failure, failedAt, 1),
      );
    const attempts = notAfter !== undefined ? 7 : 3;
    return {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: {
        name: c.name,
        namespace: c.namespace,
        uid: t.id.uid(`Certificate:${c.namespace}/${c.name}`),
        resourceVersion: resourceVersion(
          t,
          c.failure ? failedAt : notBefore ?? createdAt,
          t.id.unit(`rv:cert:${c.name}`),
        ),
        generation: 1,
        creationTimestamp: iso(createdAt),
        ...(c.kubernetesId && {
          labels: { 'backstage.io/kubernetes-id': c.kubernetesId },
        }),
        ...(gateways.length && {
          ownerReferences: gateways.slice(0, 1).map(g => ({
            apiVersion: 'gateway.networking.k8s.io/v1',
            kind: 'Gateway',
            name: g.name,
            uid: t.id.uid(`Gateway:${g.namespace}/${g.name}`),
            controller: true,
            blockOwnerDeletion: true,
          })),
        }),
      },
      spec: {
        dnsNames: c.dnsNames,
        issuerRef: {
          group: 'cert-manager.io',
          kind: 'ClusterIssuer',
          name: c.issuer,
        },
        secretName: c.name,
        usages: ['digital signature', 'key encipherment'],
      },
      status: {
        conditions,
        ...(notAfter !== undefined && {
          notBefore: iso(notBefore!),
          notAfter: iso(notAfter),
          renewalTime: iso(renewalTime!),
          revision: 3,
        }),
        ...(c.failure && {
          lastFailureTime: iso(failedAt),
          failedIssuanceAttempts: attempts,
        }),
      },
    };
  });
}
