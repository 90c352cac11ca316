import { parse } from 'yaml';
import { Disks, ExtensionStatuses, LinkStatuses } from '../grpc/cosiTypes';
import {
  bootOf,
  cpuPercent,
  cpuSampleOf,
  extensionsOf,
  imageTag,
  macsOf,
  memoryOf,
  roleOf,
  toDisk,
} from './nodeView';

/** A COSI resource as the client hands it over: spec YAML checked by its type. */
function resource<T>(
  kind: { spec: { parse(v: unknown): T } },
  id: string,
  yaml: string,
) {
  return {
    id,
    namespace: 'runtime',
    type: 'x',
    version: '1',
    phase: 'running',
    spec: kind.spec.parse(parse(yaml)),
  };
}

describe('node view mappers', () => {
  it('counts used memory as not free, not cached and not buffers (kB in /proc/meminfo)', () => {
    expect(
      memoryOf({
        memtotal: '8000000',
        memfree: '1000000',
        memavailable: '5000000',
        buffers: '500000',
        cached: '2500000',
      }),
    ).toEqual({
      totalBytes: 8000000 * 1024,
      usedBytes: 4000000 * 1024,
      availableBytes: 5000000 * 1024,
    });
  });

  it('computes CPU use between two /proc/stat samples, idle and iowait not busy', () => {
    const stat = (user: number, idle: number, iowait: number) =>
      cpuSampleOf({
        user,
        nice: 0,
        system: 0,
        idle,
        iowait,
        irq: 0,
        soft_irq: 0,
        steal: 0,
      });
    const first = stat(100, 800, 100);
    const second = stat(400, 1400, 200);
    // 300 busy jiffies of 1000 elapsed.
    expect(cpuPercent(first, second)).toBe(30);
    expect(cpuPercent(undefined, second)).toBeUndefined();
    // A counter that went backwards (reboot) gives no reading, not a negative one.
    expect(cpuPercent(second, first)).toBeUndefined();
  });

  it('dates the boot from boot_time and never reports negative uptime', () => {
    expect(bootOf('1700000000', 1700000100_000)).toEqual({
      bootTime: '2023-11-14T22:13:20.000Z',
      uptimeSeconds: 100,
    });
    expect(bootOf('0', Date.now())).toEqual({});
  });

  it('marks the system disk and keeps disk facts from the Disks spec', () => {
    const disk = resource(
      Disks,
      'sda',
      `dev_path: /dev/sda
size: 34359738368
model: QEMU HARDDISK
serial: drive-scsi0
transport: virtio
rotational: true
readonly: false
cdrom: false
`,
    );
    expect(toDisk(disk, 'sda')).toMatchObject({
      devPath: '/dev/sda',
      sizeBytes: 34359738368,
      model: 'QEMU HARDDISK',
      system: true,
      rotational: true,
    });
    expect(toDisk(disk, 'sdb').system).toBe(false);
  });

  it('takes the permanent MAC of a physical link whose address a bond changed', () => {
    const links = [
      resource(
        LinkStatuses,
        'eth0',
        'type: ether\nhardwareAddr: BC:24:11:AA:00:01\npermanentAddr: BC:24:11:AA:00:02\n',
      ),
      resource(
        LinkStatuses,
        'lo',
        'type: loopback\nhardwareAddr: 00:00:00:00:00:00\n',
      ),
    ];
    expect(macsOf(links)).toEqual(['bc:24:11:aa:00:02']);
  });

  it('separates the Image Factory schematic from the installed extensions', () => {
    const list = [
      resource(
        ExtensionStatuses,
        '0',
        'metadata:\n  name: qemu-guest-agent\n  version: 9.2.0\n',
      ),
      resource(
        ExtensionStatuses,
        '1',
        'metadata:\n  name: schematic\n  version: ce4c980550dd2ab1b17bbf2b08801c7eb59418eafe8f279833297925d67c7515\n',
      ),
    ];
    expect(extensionsOf(list)).toEqual({
      extensions: [{ name: 'qemu-guest-agent', version: '9.2.0' }],
      schematicId:
        'ce4c980550dd2ab1b17bbf2b08801c7eb59418eafe8f279833297925d67c7515',
    });
  });

  it('reads the Kubernetes version from an image reference, digest or not', () => {
    expect(imageTag('ghcr.io/siderolabs/kubelet:v1.33.3')).toBe('v1.33.3');
    expect(
      imageTag('registry.k8s.io/kube-apiserver:1.32.1@sha256:abcdef'),
    ).toBe('v1.32.1');
    expect(imageTag('ghcr.io/siderolabs/kubelet:latest')).toBeUndefined();
    expect(imageTag(undefined)).toBeUndefined();
  });

  it('knows only the roles Talos has', () => {
    expect(roleOf('controlplane')).toBe('controlplane');
    expect(roleOf('init')).toBe('init');
    expect(roleOf('bogus')).toBe('unknown');
  });
});
