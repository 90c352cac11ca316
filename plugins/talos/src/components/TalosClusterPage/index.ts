export { TalosClusterPage, TalosClusterView } from './TalosClusterPage';
