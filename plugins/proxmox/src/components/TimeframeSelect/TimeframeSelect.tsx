import type { ProxmoxTimeframe } from '@homelab-portal/plugin-proxmox-common';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';

const LABELS: [ProxmoxTimeframe, string][] = [
  ['hour', 'Last hour'],
  ['day', 'Last day'],
  ['week', 'Last week'],
  ['month', 'Last month'],
  ['year', 'Last year'],
];

/** How far back the history charts reach; a year only where Proxmox keeps one (nodes). */
export function TimeframeSelect(props: {
  value: ProxmoxTimeframe;
  onChange: (value: ProxmoxTimeframe) => void;
  withYear?: boolean;
}) {
  return (
    <Select
      value={props.value}
      onChange={e => props.onChange(e.target.value as ProxmoxTimeframe)}
      inputProps={{ 'aria-label': 'History' }}
    >
      {LABELS.filter(([v]) => props.withYear || v !== 'year').map(
        ([value, label]) => (
          <MenuItem key={value} value={value}>
            {label}
          </MenuItem>
        ),
      )}
    </Select>
  );
}
