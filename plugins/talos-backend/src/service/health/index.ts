export { evaluateHealth } from './evaluateHealth';
export type { HealthInput } from './evaluateHealth';
