export { UpgradePanel } from './UpgradePanel';
