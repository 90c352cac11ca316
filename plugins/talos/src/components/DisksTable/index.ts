export { DisksTable } from './DisksTable';
