export { GuestTable } from './GuestTable';
export { GuestStatus } from './GuestStatus';
