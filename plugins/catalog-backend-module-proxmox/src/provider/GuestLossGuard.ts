/**
 * Tells an accident from a change. A Proxmox token that loses VM.Audit (an
 * ACL edited, a role renamed) still answers `/cluster/resources`
 * successfully, with the nodes and storage and no guest at all; applied as
 * a full mutation, that answer would delete every VM and container entity
 * and everything hand-written that points at them. A snapshot that loses
 * most of the guests of the last applied one at once is therefore held
 * back; losing a few (a guest really destroyed) goes through.
 *
 * The last applied set lives in memory: after a restart the first answer is
 * taken as it is, which is also how to accept a real mass removal.
 */
export class GuestLossGuard {
  private lastApplied?: Set<number>;

  /**
   * Why `guests` must not be applied, or undefined when it may. Losing
   * more than half of the last applied guests, and at least two, is
   * refused.
   */
  check(guests: number[]): string | undefined {
    const previous = this.lastApplied;
    if (!previous) return undefined;
    const now = new Set(guests);
    const lost = [...previous].filter(vmid => !now.has(vmid));
    if (lost.length < 2 || lost.length * 2 <= previous.size) return undefined;
    return `${lost.length} of the ${
      previous.size
    } guests applied last time are missing at once (VMIDs ${lost
      .sort((a, b) => a - b)
      .join(
        ', ',
      )}) while Proxmox answers normally. That is what a token that lost VM.Audit looks like (Proxmox then lists nodes and storage only), so the catalog keeps its last Proxmox entities. Check the token's ACL (pveum acl list); if the guests really are gone, restart the backend and the next run applies the new state.`;
  }

  applied(guests: number[]) {
    this.lastApplied = new Set(guests);
  }
}
