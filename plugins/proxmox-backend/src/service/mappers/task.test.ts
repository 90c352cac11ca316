import {
  taskListSchema,
  taskStatusSchema,
} from '@homelab-portal/plugin-proxmox-node';
import { referenceBody } from '../../__testUtils__/referenceBody';
import { taskStatusSummary, taskSummary } from './task';

const status = (upid: string) =>
  taskStatusSummary(
    taskStatusSchema.parse(
      referenceBody(`GET /nodes/pve/tasks/${upid}/status`),
    ),
  );

describe('the task mappers on the reference task bodies', () => {
  it("reads a finished list entry's status as its exit status", () => {
    const tasks = taskListSchema
      .parse(referenceBody('GET /nodes/pve/tasks?limit=4'))
      .map(taskSummary);
    expect(tasks[0]).toEqual({
      upid: 'UPID:pve:002BD27E:063A58BC:6A028DBB:aptupdate::root@pam:',
      node: 'pve',
      type: 'aptupdate',
      id: '',
      user: 'root@pam',
      starttime: 1778552251,
      endtime: 1778552260,
      status: 'stopped',
      exitstatus: 'OK',
      ok: true,
    });
    expect(tasks[3]).toMatchObject({
      type: 'qmstart',
      status: 'stopped',
      exitstatus: "you can't start a vm if it's a template",
      ok: false,
    });
  });

  it('reads a list entry without end time or status as running', () => {
    const [running] = taskListSchema
      .parse(referenceBody('GET /nodes/pve/tasks?limit=4'))
      .map(({ endtime: _e, status: _s, ...t }) => taskSummary(t));
    expect(running).toMatchObject({
      status: 'running',
      exitstatus: undefined,
      ok: undefined,
    });
  });

  it('judges a task status only once it has stopped', () => {
    expect(
      status(
        'UPID:pve:002DA14C:0659B5A4:6A02DE05:qmshutdown:101:backstage@pve!catalog:',
      ),
    ).toEqual({
      upid: 'UPID:pve:002DA14C:0659B5A4:6A02DE05:qmshutdown:101:backstage@pve!catalog:',
      node: 'pve',
      type: 'qmshutdown',
      id: '101',
      user: 'backstage@pve!catalog',
      starttime: 1778572805,
      status: 'running',
      exitstatus: undefined,
      ok: undefined,
    });
    expect(
      status('UPID:pve:002B734B:062DC1B0:6A026D80:vzdump::root@pam:'),
    ).toMatchObject({ status: 'stopped', exitstatus: 'OK', ok: true });
    expect(
      status('UPID:pve:002680AE:05875370:6A00C370:qmstart:9000:root@pam:'),
    ).toMatchObject({ status: 'stopped', ok: false });
  });
});
