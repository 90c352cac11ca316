export { TalosLinkCard, TalosLinks } from './TalosLinkCard';
