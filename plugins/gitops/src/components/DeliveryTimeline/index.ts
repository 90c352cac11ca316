export { DeliveryTimeline, StateChip } from './DeliveryTimeline';
