import SvgIcon, { SvgIconProps } from '@material-ui/core/SvgIcon';

/** A T in a hexagon: the plugin's own mark for Talos nodes. */
export function TalosIcon(props: SvgIconProps) {
  return (
    <SvgIcon viewBox="0 0 24 24" {...props}>
      <path d="M12 1.8 3.2 6.9v10.2L12 22.2l8.8-5.1V6.9L12 1.8zm0 2.3 6.8 3.9v8l-6.8 3.9-6.8-3.9V8L12 4.1z" />
      <path d="M7.5 8.2h9v2.2h-3.4V17h-2.2v-6.6H7.5z" />
    </SvgIcon>
  );
}
