export { NodeState } from './NodeState';
