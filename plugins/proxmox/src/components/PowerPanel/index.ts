export { PowerPanel } from './PowerPanel';
