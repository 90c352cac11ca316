export { GuestContent } from './GuestContent';
