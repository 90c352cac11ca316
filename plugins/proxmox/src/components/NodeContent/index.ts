export { NodeContent } from './NodeContent';
