export { SourceStatus } from './SourceStatus';
