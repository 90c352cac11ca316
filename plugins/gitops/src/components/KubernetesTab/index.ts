export { KubernetesTab } from './KubernetesTab';
