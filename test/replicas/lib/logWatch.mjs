// Follows a portal's log file and remembers when each line first showed up,
// so a suite can tell which replica did something and when.
import fs from 'node:fs';

export class LogWatch {
  constructor(portal) {
    this.portal = portal;
    this.offset = fs.existsSync(portal.logFile)
      ? fs.statSync(portal.logFile).size
      : 0;
    this.lines = []; // { at, line }
    this.timer = setInterval(() => this.poll(), 250);
  }

  poll() {
    if (!fs.existsSync(this.portal.logFile)) return;
    const size = fs.statSync(this.portal.logFile).size;
    if (size <= this.offset) return;
    const fd = fs.openSync(this.portal.logFile, 'r');
    const buf = Buffer.alloc(size - this.offset);
    fs.readSync(fd, buf, 0, buf.length, this.offset);
    fs.closeSync(fd);
    const text = buf.toString('utf8');
    const complete = text.lastIndexOf('\n') + 1;
    this.offset += Buffer.byteLength(text.slice(0, complete));
    const at = Date.now();
    for (const line of text.slice(0, complete).split('\n')) {
      if (line) this.lines.push({ at, line });
    }
  }

  /** Lines matching `re`, each with the time it was first seen. */
  matching(re) {
    this.poll();
    return this.lines.filter(({ line }) => re.test(line));
  }

  stop() {
    clearInterval(this.timer);
    this.poll();
  }
}

/** Runs of one scheduled search collator, as its log lines announce them. */
export const COLLATOR_RUN =
  /"message":"Collating documents for software-catalog via /;

/** Runs of the Proxmox entity provider (plugins/catalog-backend-module-proxmox). */
export const PROXMOX_REFRESH =
  /"message":"Proxmox (catalog refresh of|instance) \\"home\\"/;

/** The scaffolder's audit event for a task a worker is executing. */
export function executionOf(taskId) {
  return new RegExp(
    `"actionType":"execution".*"taskId":"${taskId}"|"taskId":"${taskId}".*"actionType":"execution"`,
  );
}

/** The debug:log line a test-echo task writes. */
export function markerLine(marker) {
  return new RegExp(`test-echo marker ${marker}"`);
}

// Three upstream races that heal themselves; anything else is a finding:
// - the events backend's subscribers (catalog, signals) may poll their own
//   replica's bus before its route is up during start, and retry a second
//   later;
// - the scaffolder's heartbeat timer may fire just after a task completed
//   (TaskManager clears it after the status update), logging "No running
//   task" for a task that finished fine;
// - the TechDocs collator reads the catalog over HTTP from its own replica: a
//   run under way while that replica stops (a restart, a rolling update)
//   finds the port closed and fails; the next scheduled run indexes again.
export const SELF_HEALING = new RegExp(
  [
    String.raw`"message":"Poll failed for subscription \\"[^"\\]+\\", retrying in`,
    String.raw`"message":"Heartbeat for task [0-9a-f-]+ failed No running task with taskId`,
    String.raw`"message":"Collating documents for techdocs failed: FetchError: request to http://127\.0\.0\.2:\d+/api/catalog/[^"]* failed, reason: connect ECONNREFUSED`,
    String.raw`"code":"ECONNREFUSED".*"message":"request to http://127\.0\.0\.2:\d+/api/catalog/.*"task":"search_index_techdocs"`,
  ].join('|'),
);
