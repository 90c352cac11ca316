import { hardwareIdsOfConfig } from './hardwareIds';

describe('hardwareIdsOfConfig', () => {
  it('reads the SMBIOS UUID and the MACs of every NIC, in netN order', () => {
    expect(
      hardwareIdsOfConfig({
        smbios1:
          'uuid=5C1E4A2B-8F3D-4E6A-9B7C-1D2E3F4A5B6C,manufacturer=UHJveG1veA==',
        net1: 'model=e1000,macaddr=BC:24:11:00:00:02,bridge=vmbr1',
        net0: 'virtio=BC:24:11:00:00:01,bridge=vmbr0,firewall=1',
        net10: 'virtio=BC:24:11:00:00:0A,bridge=vmbr0',
        memory: 4096,
      }),
    ).toEqual({
      smbiosUuid: '5c1e4a2b-8f3d-4e6a-9b7c-1d2e3f4a5b6c',
      macs: ['bc:24:11:00:00:01', 'bc:24:11:00:00:02', 'bc:24:11:00:00:0a'],
    });
  });

  it('reads an LXC hwaddr and ignores what is not an address', () => {
    expect(
      hardwareIdsOfConfig({
        net0: 'name=eth0,bridge=vmbr0,hwaddr=BC:24:11:AA:BB:CC,ip=dhcp',
        smbios1: 'base64=1,uuid=not-a-uuid',
        description: 'net0 virtio=00:11:22:33:44:55',
      }),
    ).toEqual({ macs: ['bc:24:11:aa:bb:cc'] });
  });

  it('gives nothing for a config without them', () => {
    expect(hardwareIdsOfConfig({ cores: 2 })).toEqual({ macs: [] });
  });
});
