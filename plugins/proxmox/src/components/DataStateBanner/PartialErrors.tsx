import type { ProxmoxUpstreamError } from '@homelab-portal/plugin-proxmox-common';
import Typography from '@material-ui/core/Typography';

/** The detail calls that failed, one line each; the rest of the view still shows. */
export function PartialErrors(props: {
  errors?: { what: string; error: ProxmoxUpstreamError }[];
}) {
  return (
    <>
      {props.errors?.map(p => (
        <Typography key={p.what} variant="body2" color="error">
          {p.what}: {p.error.message}
        </Typography>
      ))}
    </>
  );
}
