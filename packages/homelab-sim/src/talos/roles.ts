/**
 * Who may call what, as machined's `rules` map has it
 * (internal/app/machined/pkg/system/services/machined.go). Roles come from
 * the client certificate's subject Organization.
 */
const READ = ['os:admin', 'os:operator', 'os:reader'];
const ETCD_READ = [...READ, 'os:etcd:backup'];
const OPERATE = ['os:admin', 'os:operator'];

export const METHOD_ROLES: Record<string, string[]> = {
  '/machine.MachineService/CPUInfo': READ,
  '/machine.MachineService/Containers': READ,
  '/machine.MachineService/CPUFreqStats': READ,
  '/machine.MachineService/DiskStats': READ,
  '/machine.MachineService/Dmesg': READ,
  '/machine.MachineService/Events': READ,
  '/machine.MachineService/Logs': READ,
  '/machine.MachineService/Mounts': READ,
  '/machine.MachineService/Netstat': READ,
  '/machine.MachineService/NetworkDeviceStats': READ,
  '/machine.MachineService/Processes': READ,
  '/machine.MachineService/Stats': READ,
  '/machine.MachineService/Reboot': OPERATE,
  '/storage.StorageService/Disks': READ,
  '/time.TimeService/Time': READ,
  '/machine.MachineService/Hostname': READ,
  '/machine.MachineService/LoadAvg': READ,
  '/machine.MachineService/Memory': READ,
  '/machine.MachineService/ServiceList': READ,
  '/machine.MachineService/SystemStat': READ,
  '/machine.MachineService/Version': READ,
  '/machine.MachineService/EtcdAlarmList': ETCD_READ,
  '/machine.MachineService/EtcdMemberList': ETCD_READ,
  '/machine.MachineService/EtcdStatus': ETCD_READ,
  '/cosi.resource.State/Get': READ,
  '/cosi.resource.State/List': READ,
  '/cosi.resource.State/Watch': READ,
};

/** Roles named in a certificate subject's O (one value or several). */
export function rolesOf(organization: string | string[] | undefined): string[] {
  if (!organization) return [];
  return (Array.isArray(organization) ? organization : [organization]).filter(
    Boolean,
  );
}

export function mayCall(method: string, roles: string[]): boolean {
  const allowed = METHOD_ROLES[method];
  return !!allowed && roles.some(r => allowed.includes(r));
}
