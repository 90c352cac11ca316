export { RrdChart } from './RrdChart';
export type { RrdSeries, RrdUnit } from './RrdChart';
