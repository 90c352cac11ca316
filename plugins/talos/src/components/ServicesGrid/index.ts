export { ServicesGrid } from './ServicesGrid';
