export { EntityProxmoxContent } from './EntityProxmoxContent';
