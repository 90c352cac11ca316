import {
  isTaskSuccess,
  ProxmoxTask,
} from '@homelab-portal/plugin-proxmox-common';
import { TaskListItem, TaskStatus } from '@homelab-portal/plugin-proxmox-node';

/**
 * A task list entry. A finished task's `status` is its exit status (`OK`,
 * `WARNINGS: n`, or the error); a running one has none or `running`.
 */
export function taskSummary(t: TaskListItem): ProxmoxTask {
  const stopped =
    t.endtime !== undefined ||
    (t.status !== undefined && t.status !== 'running');
  return {
    upid: t.upid,
    node: t.node,
    type: t.type,
    id: t.id,
    user: t.user,
    starttime: t.starttime,
    endtime: t.endtime,
    status: stopped ? 'stopped' : 'running',
    exitstatus: stopped ? t.status : undefined,
    ok: stopped ? isTaskSuccess(t.status) : undefined,
  };
}

/** One task's `status`: `exitstatus` only once it has stopped. */
export function taskStatusSummary(s: TaskStatus): ProxmoxTask {
  return {
    upid: s.upid,
    node: s.node,
    type: s.type,
    id: s.id,
    user: s.user,
    starttime: s.starttime,
    status: s.status,
    exitstatus: s.exitstatus,
    ok: s.status === 'stopped' ? isTaskSuccess(s.exitstatus) : undefined,
  };
}
