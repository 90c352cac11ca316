import { loadTalosServices } from './protos';

/**
 * Pins the wire format of the portal's .proto files to Talos's: the bytes
 * below are written by hand from Talos's field numbers and wire types
 * (tag byte = field number << 3 | wire type; 0 = varint, 1 = 64-bit,
 * 2 = length-delimited), then decoded with the client's definitions.
 */
const varint = (n: number | bigint): number[] => {
  let v = BigInt(n);
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return out;
};
/** A length-delimited field: tag byte, length, payload. */
const ld = (tag: number, payload: number[]) => [
  tag,
  ...varint(payload.length),
  ...payload,
];
const text = (tag: number, s: string) => ld(tag, [...Buffer.from(s, 'utf8')]);

function decode(method: string, bytes: number[]) {
  const def = loadTalosServices().MachineService.service[method];
  return def.responseDeserialize(Buffer.from(bytes));
}

describe('Talos wire format', () => {
  it('decodes a hand-built VersionResponse', () => {
    const versionInfo = [
      ...text(0x0a, 'v1.12.3'), // tag = 1
      ...text(0x12, '4f1b1d9'), // sha = 2
      ...text(0x32, 'arm64'), // arch = 6
    ];
    const platform = [...text(0x0a, 'metal'), ...text(0x12, 'metal')]; // name = 1, mode = 2
    const version = [
      ...ld(0x0a, text(0x0a, '10.5.0.2')), // metadata = 1 { hostname = 1 }
      ...ld(0x12, versionInfo), // version = 2
      ...ld(0x1a, platform), // platform = 3
      ...ld(0x22, [0x08, 0x01]), // features = 4 { rbac = 1: true }: unknown to us, skipped
    ];
    const response = ld(0x0a, version); // VersionResponse.messages = 1

    const decoded = decode('Version', response);
    expect(decoded.messages).toHaveLength(1);
    const [item] = decoded.messages;
    expect(item.metadata.hostname).toBe('10.5.0.2');
    expect(item.version).toMatchObject({
      tag: 'v1.12.3',
      sha: '4f1b1d9',
      arch: 'arm64',
    });
    expect(item.platform).toEqual({ name: 'metal', mode: 'metal' });
  });

  it('decodes a hand-built ServiceListResponse', () => {
    const ts = (seconds: number) => [0x08, ...varint(seconds)]; // Timestamp.seconds = 1
    const event = [
      ...text(0x0a, 'Health check successful'), // msg = 1
      ...text(0x12, 'Running'), // state = 2
      ...ld(0x1a, ts(1_700_000_000)), // ts = 3
    ];
    const health = [
      0x10,
      0x01, // healthy = 2: true (unknown = 1 left out: false)
      ...text(0x1a, 'ok'), // last_message = 3
      ...ld(0x22, ts(1_700_000_100)), // last_change = 4
    ];
    const etcd = [
      ...text(0x0a, 'etcd'), // id = 1
      ...text(0x12, 'Running'), // state = 2
      ...ld(0x1a, ld(0x0a, event)), // events = 3 { events = 1 [event] }
      ...ld(0x22, health), // health = 4
    ];
    const kubelet = [
      ...text(0x0a, 'kubelet'),
      ...text(0x12, 'Failed'),
      ...ld(0x22, [0x08, 0x01]),
    ];
    const list = [...ld(0x12, etcd), ...ld(0x12, kubelet)]; // ServiceList.services = 2
    const decoded = decode('ServiceList', ld(0x0a, list));

    const [etcdOut, kubeletOut] = decoded.messages[0].services;
    expect(etcdOut.id).toBe('etcd');
    expect(etcdOut.state).toBe('Running');
    expect(etcdOut.events.events[0]).toMatchObject({
      msg: 'Health check successful',
      state: 'Running',
      ts: { seconds: '1700000000' },
    });
    expect(etcdOut.health).toMatchObject({
      unknown: false,
      healthy: true,
      last_message: 'ok',
      last_change: { seconds: '1700000100' },
    });
    expect(kubeletOut).toMatchObject({
      id: 'kubelet',
      state: 'Failed',
      health: { unknown: true, healthy: false },
    });
  });

  it('decodes etcd members, whose fields start at 2, and 64-bit ids exactly', () => {
    const id = 0x8e2f4c1a9b3d7f01n;
    const member = [
      0x10,
      ...varint(id), // id = 2 (varint)
      ...text(0x1a, 'talos-cp-1'), // hostname = 3
      ...text(0x22, 'https://10.0.0.2:2380'), // peer_urls = 4
      ...text(0x2a, 'https://10.0.0.2:2379'), // client_urls = 5
    ];
    const members = [...ld(0x1a, member)]; // EtcdMembers.members = 3
    const decoded = decode('EtcdMemberList', ld(0x0a, members));
    const [m] = decoded.messages[0].members;
    expect(BigInt(m.id).toString(16)).toBe('8e2f4c1a9b3d7f01');
    expect(m).toMatchObject({
      hostname: 'talos-cp-1',
      peer_urls: ['https://10.0.0.2:2380'],
      client_urls: ['https://10.0.0.2:2379'],
      is_learner: false,
    });
  });

  it('decodes memory in kB and load averages as doubles', () => {
    const double = (tag: number, n: number) => {
      const b = Buffer.alloc(8);
      b.writeDoubleLE(n);
      return [tag, ...b];
    };
    const meminfo = [
      0x08,
      ...varint(8_000_000),
      0x10,
      ...varint(1_000_000),
      0x18,
      ...varint(5_000_000),
    ];
    const memory = decode('Memory', ld(0x0a, ld(0x12, meminfo)));
    expect(memory.messages[0].meminfo).toMatchObject({
      memtotal: '8000000',
      memfree: '1000000',
      memavailable: '5000000',
    });
    const load = decode(
      'LoadAvg',
      ld(0x0a, [
        ...double(0x11, 0.5),
        ...double(0x19, 1.25),
        ...double(0x21, 2),
      ]),
    );
    expect(load.messages[0]).toMatchObject({
      load1: 0.5,
      load5: 1.25,
      load15: 2,
    });
  });
});
