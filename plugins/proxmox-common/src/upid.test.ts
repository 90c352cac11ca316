import { isTaskSuccess, parseUpid } from './upid';

describe('parseUpid', () => {
  it('decodes a power action UPID started by a token', () => {
    expect(
      parseUpid(
        'UPID:pve:002DA14C:0659B5A4:6A02DE05:qmshutdown:101:backstage@pve!catalog:',
      ),
    ).toEqual({
      upid: 'UPID:pve:002DA14C:0659B5A4:6A02DE05:qmshutdown:101:backstage@pve!catalog:',
      node: 'pve',
      pid: 0x002da14c,
      pstart: 0x0659b5a4,
      starttime: 0x6a02de05,
      type: 'qmshutdown',
      id: '101',
      user: 'backstage@pve!catalog',
    });
  });

  it('accepts an empty id (multi-guest backup) and refuses non-UPIDs', () => {
    expect(
      parseUpid('UPID:pve:002B734B:062DC1B0:6A026D80:vzdump::root@pam:')?.id,
    ).toBe('');
    expect(
      parseUpid('UPID:pve:002B734B:062DC1B0:6A026D80:vzdump::root@pam'),
    ).toBeUndefined();
    expect(parseUpid('../../etc/passwd')).toBeUndefined();
  });
});

describe('isTaskSuccess', () => {
  it('treats OK and warnings as success, anything else as failure', () => {
    expect(isTaskSuccess('OK')).toBe(true);
    expect(isTaskSuccess('WARNINGS: 2')).toBe(true);
    expect(isTaskSuccess('VM 100 already running')).toBe(false);
    expect(isTaskSuccess(undefined)).toBe(false);
  });
});
