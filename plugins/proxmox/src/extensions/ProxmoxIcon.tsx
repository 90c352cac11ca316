import SvgIcon, { SvgIconProps } from '@material-ui/core/SvgIcon';

/** A server rack with two guests, drawn for this plugin. */
export function ProxmoxIcon(props: SvgIconProps) {
  return (
    <SvgIcon viewBox="0 0 24 24" {...props}>
      <path d="M3 3h18v6H3V3zm2 2v2h2V5H5zm4 0v2h10V5H9zM3 11h8v10H3V11zm2 2v6h4v-6H5zm8-2h8v10h-8V11zm2 2v6h4v-6h-4z" />
    </SvgIcon>
  );
}
