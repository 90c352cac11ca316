export { StorageTable } from './StorageTable';
