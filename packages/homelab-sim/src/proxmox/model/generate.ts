import { hashUnit } from '../../random';
import { Guest, Scenario } from '../../scenario/schema';

type ProxmoxScenario = Scenario['proxmox'];

const tagPool = [
  'prod',
  'staging',
  'db',
  'web',
  'cache',
  'monitoring',
  'k8s',
  'media',
  'backup',
  'dev',
];

/**
 * Expands `proxmox.generate` into extra nodes and guests (for benchmarks: a
 * homelab that grew into 20 nodes and 5,000 guests). The household's own
 * nodes and guests stay as they are; generated nodes are `pve-01`, ...,
 * generated guests start at VMID 1000. Deterministic for a seed.
 */
export function expandProxmox(
  proxmox: ProxmoxScenario,
  seed: number,
): ProxmoxScenario {
  const gen = proxmox.generate;
  if (!gen) return proxmox;
  const u = (key: string) => hashUnit(seed, `generate:${key}`);
  const nodes = [...proxmox.nodes];
  const model = proxmox.nodes[0];
  const backupStorage = model.storage.find(s =>
    s.content.includes('backup'),
  )?.id;
  for (let i = 1; nodes.length < gen.nodes; i++) {
    const name = `pve-${String(i).padStart(2, '0')}`;
    if (nodes.some(n => n.name === name)) continue;
    nodes.push({
      ...model,
      name,
      ip: `192.168.2.${10 + i}`,
      cpus: 16 + 8 * Math.floor(u(`cpus:${name}`) * 3),
      memoryGiB: 128,
      online: true,
      storage: model.storage.map(s => ({ ...s })),
    });
  }
  const guests: Guest[] = [...proxmox.guests];
  const used = new Set(guests.map(g => g.vmid));
  let vmid = 1000;
  for (let i = 0; i < gen.guests; i++) {
    while (used.has(vmid)) vmid++;
    used.add(vmid);
    const key = String(vmid);
    const type = u(`type:${key}`) < 0.25 ? 'lxc' : 'qemu';
    const template = type === 'qemu' && u(`tmpl:${key}`) < 0.01;
    const stopped = !template && u(`stopped:${key}`) < 0.1;
    const node = nodes[i % nodes.length].name;
    const tagCount = Math.floor(u(`tags:${key}`) * 3);
    const tags = Array.from(
      new Set(
        Array.from(
          { length: tagCount },
          (_, t) => tagPool[Math.floor(u(`tag:${key}:${t}`) * tagPool.length)],
        ),
      ),
    );
    const backedUp = !template && u(`backup:${key}`) < 0.8;
    guests.push({
      vmid,
      type,
      name: `${type === 'qemu' ? 'vm' : 'ct'}-${key}`,
      node,
      status: template || stopped ? 'stopped' : 'running',
      template,
      cores: 1 + Math.floor(u(`cores:${key}`) * 4),
      memoryGiB: [0.5, 1, 2, 4, 8][Math.floor(u(`mem:${key}`) * 5)],
      diskGiB: [8, 16, 32, 64][Math.floor(u(`disk:${key}`) * 4)],
      tags,
      ip: `10.${20 + Math.floor(vmid / 65536)}.${
        Math.floor(vmid / 256) % 256
      }.${vmid % 256}`,
      mac: `BC:24:11:${[vmid >> 16, vmid >> 8, vmid]
        .map(b => (b & 0xff).toString(16).toUpperCase().padStart(2, '0'))
        .join(':')}`,
      guestAgent: type === 'qemu' && u(`agent:${key}`) < 0.7,
      ostype: type === 'qemu' ? 'l26' : 'debian',
      load: Math.round(u(`load:${key}`) * 40) / 100,
      lastBackupDaysAgo: backedUp
        ? 1 + Math.floor(u(`age:${key}`) * 10)
        : undefined,
      backupStorage: backedUp ? backupStorage : undefined,
    });
    vmid++;
  }
  return { ...proxmox, nodes, guests };
}
