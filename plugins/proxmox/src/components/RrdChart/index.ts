export { RrdChart } from './RrdChart';
export type { RrdSeries, RrdUnit } from './RrdChart';
export { RrdChartGrid } from './RrdChartGrid';
export type { RrdChartSpec } from './RrdChartGrid';
