export { EtcdPanel } from './EtcdPanel';
