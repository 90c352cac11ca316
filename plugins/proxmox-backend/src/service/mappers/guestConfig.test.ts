import { guestConfigSchema } from '@homelab-portal/plugin-proxmox-node';
import { referenceBody } from '../../__testUtils__/referenceBody';
import { guestConfigSummary, guestWebUrl } from './guestConfig';

const config = (type: 'qemu' | 'lxc', vmid: number) =>
  guestConfigSummary(
    type,
    guestConfigSchema.parse(
      referenceBody(`GET /nodes/pve/${type}/${vmid}/config`),
    ),
  );

describe('guestConfigSummary on the reference config bodies', () => {
  it('reads a VM: sizes from property strings, disks, network, SMBIOS UUID', () => {
    expect(config('qemu', 100)).toEqual({
      cores: 4,
      sockets: 1,
      memoryMiB: 8192,
      ostype: 'l26',
      description: 'Talos Linux control plane - managed by OpenTofu',
      onboot: true,
      agent: true,
      disks: [
        {
          key: 'scsi0',
          value: 'local-lvm:vm-100-disk-0,discard=on,iothread=1,size=64G,ssd=1',
        },
      ],
      networks: [
        {
          key: 'net0',
          value: 'virtio=BC:24:11:2E:C8:01,bridge=vmbr0,firewall=1',
        },
      ],
      unprivileged: undefined,
      smbiosUuid: '21f2d319-b76c-512a-8c60-63660b9fb94a',
    });
  });

  it('counts the EFI disk as a disk', () => {
    expect(config('qemu', 110).disks.map(d => d.key)).toEqual([
      'efidisk0',
      'scsi0',
    ]);
  });

  it('leaves out the cloud-init CD-ROM and reads a template without agent or onboot', () => {
    expect(config('qemu', 9000)).toMatchObject({
      memoryMiB: 2048,
      agent: false,
      onboot: undefined,
      disks: [{ key: 'scsi0', value: 'local-lvm:base-9000-disk-0,size=3G' }],
    });
  });

  it('reads a container: rootfs, unprivileged, trimmed description, no agent', () => {
    expect(config('lxc', 200)).toMatchObject({
      cores: 1,
      memoryMiB: 512,
      ostype: 'debian',
      description: 'Traefik v3 reverse proxy for the homelab',
      onboot: true,
      agent: undefined,
      unprivileged: true,
      disks: [{ key: 'rootfs', value: 'local-lvm:vm-200-disk-0,size=8G' }],
      networks: [{ key: 'net0', value: expect.stringMatching(/^name=eth0,/) }],
      smbiosUuid: undefined,
    });
  });

  it('links to the guest in the Proxmox UI', () => {
    expect(
      guestWebUrl('https://pve.home.arpa:8006', { type: 'lxc', vmid: 200 }),
    ).toBe('https://pve.home.arpa:8006/#v1:0:=lxc%2F200:4:::::::');
  });
});
