export { DataStateBanner } from './DataStateBanner';
