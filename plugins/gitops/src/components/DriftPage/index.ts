export { DriftPage, DRIFT_TITLES } from './DriftPage';
