import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';

/** A guest's run state as a coloured status label. */
export function GuestStatus(props: { status: string; template?: boolean }) {
  if (props.template) return <StatusAborted>template</StatusAborted>;
  switch (props.status) {
    case 'running':
      return <StatusOK>running</StatusOK>;
    case 'stopped':
      return <StatusAborted>stopped</StatusAborted>;
    case 'paused':
    case 'suspended':
      return <StatusWarning>{props.status}</StatusWarning>;
    case 'online':
      return <StatusOK>online</StatusOK>;
    case 'offline':
      return <StatusError>offline</StatusError>;
    case 'unknown':
      return <StatusError>unknown</StatusError>;
    default:
      return <StatusPending>{props.status}</StatusPending>;
  }
}
