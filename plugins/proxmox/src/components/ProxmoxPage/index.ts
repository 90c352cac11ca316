export { ProxmoxPage } from './ProxmoxPage';
