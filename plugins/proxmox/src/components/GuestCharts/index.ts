export { GuestCharts } from './GuestCharts';
