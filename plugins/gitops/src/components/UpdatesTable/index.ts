export { UpdatesTable } from './UpdatesTable';
