"""The calls the Prometheus PVE exporter's default collectors make
(prometheus-pve/prometheus-pve-exporter 316e9d91, src/pve_exporter/collector/
cluster.py and node.py), made with Debian's python3-proxmoxer because the
exporter itself is only on PyPI. Prints what each call answered as JSON.

argv: host:port, CA file, token id (user@realm!name), token secret file.
"""
import json
import sys

from proxmoxer import ProxmoxAPI, ResourceException

host, port = sys.argv[1].rsplit(":", 1)
user, token_name = sys.argv[3].split("!")
with open(sys.argv[4], encoding="utf8") as f:
    secret = f.read().strip()

pve = ProxmoxAPI(host, port=int(port), user=user, token_name=token_name,
                 token_value=secret, verify_ssl=sys.argv[2], timeout=20)
out = {}


def call(name, fn):
    try:
        out[name] = {"data": fn()}
    except ResourceException as e:
        out[name] = {"status": e.status_code, "message": e.status_message,
                     "content": e.content}


# StatusCollector / ClusterNodeCollector / ClusterInfoCollector
call("cluster/status", lambda: pve.cluster.status.get())
# ClusterResourcesCollector (metrics for guests and storage)
call("cluster/resources?type=vm", lambda: pve.cluster.resources.get(type="vm"))
call("cluster/resources?type=storage",
     lambda: pve.cluster.resources.get(type="storage"))
call("cluster/resources", lambda: pve.cluster.resources.get())
# VersionCollector
call("version", lambda: pve.version.get())
# ClusterQDeviceCollector: only asked when there is a cluster entry.
call("cluster/config/qdevice", lambda: pve.cluster.config.qdevice.get())

node = next(e["name"] for e in out["cluster/status"]["data"]
            if e["type"] == "node" and e["local"])
# SubscriptionCollector
call("nodes/{node}/subscription", lambda: pve.nodes(node).subscription.get())
# ReplicationCollector
call("nodes/{node}/replication", lambda: pve.nodes(node).replication.get())
# NodeConfigCollector: every guest's config (onboot)
configs = {}
for vm in pve.nodes(node).qemu.get():
    configs["qemu/%s" % vm["vmid"]] = pve.nodes(node).qemu(vm["vmid"]).config.get()
for ct in pve.nodes(node).lxc.get():
    configs["lxc/%s" % ct["vmid"]] = pve.nodes(node).lxc(ct["vmid"]).config.get()
out["configs"] = configs

# What scripts and dashboards call next to it.
call("nodes/{node}/version", lambda: pve.nodes(node).version.get())
call("nodes/{node}/network", lambda: pve.nodes(node).network.get(type="bridge"))
call("nodes/{node}/disks/list", lambda: pve.nodes(node).disks.list.get())
call("cluster/nextid", lambda: pve.cluster.nextid.get())
call("pools", lambda: pve.pools.get())
call("storage", lambda: pve.storage.get())
call("qemu/100/snapshot", lambda: pve.nodes(node).qemu(100).snapshot.get())
call("qemu/100/pending", lambda: pve.nodes(node).qemu(100).pending.get())
call("qemu/100/agent/get-host-name",
     lambda: pve.nodes(node).qemu(100).agent("get-host-name").get())
call("qemu/9000/agent/get-osinfo",
     lambda: pve.nodes(node).qemu(9000).agent("get-osinfo").get())
call("nodes/{node}/unknown", lambda: pve.nodes(node).nothing.get())

print(json.dumps(out))
