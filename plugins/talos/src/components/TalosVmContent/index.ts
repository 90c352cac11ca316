export { TalosVmContent } from './TalosVmContent';
