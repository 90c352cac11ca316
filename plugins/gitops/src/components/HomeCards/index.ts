export {
  AppsStatusCard,
  CertificatesCard,
  DriftCard,
  UpdatesCard,
} from './HomeCards';
export { CardFrame } from './CardFrame';
