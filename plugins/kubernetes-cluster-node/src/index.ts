/**
 * One way for backend plugins to reach a Kubernetes cluster: the clusters
 * of the kubernetes plugin's config, with a configured token or the Pod's
 * mounted service account, as the kubernetes plugin itself does.
 *
 * @packageDocumentation
 */
export { KubernetesCluster } from './cluster/KubernetesCluster';
export type { KubernetesClusterRequest } from './cluster/KubernetesCluster';
export { KubernetesClusterError } from './cluster/errors';
export { SERVICE_ACCOUNT_DIR } from './cluster/podServiceAccount';
export type { KubernetesClusterSettings } from './cluster/settings';
export { DefaultKubernetesClusterService } from './service/KubernetesClusterService';
export type { KubernetesClusterService } from './service/KubernetesClusterService';
export { kubernetesClusterServiceRef } from './service/kubernetesClusterServiceRef';
