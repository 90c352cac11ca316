export { TimeframeSelect } from './TimeframeSelect';
