export { DataStateBanner } from './DataStateBanner';
export { PartialErrors } from './PartialErrors';
