export { DeliveryContent } from './DeliveryContent';
