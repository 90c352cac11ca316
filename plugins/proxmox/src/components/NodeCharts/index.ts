export { NodeCharts } from './NodeCharts';
