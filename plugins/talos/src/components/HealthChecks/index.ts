export { HealthChecks } from './HealthChecks';
