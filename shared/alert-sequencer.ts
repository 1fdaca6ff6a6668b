/**
 * Client-side ordering of alerts, shared by the overlay page and test clients: shows each alert
 * once and in the streamer's order. Every alert names its predecessor (prevEventId); one that
 * does not follow the last shown alert is held back and the client asks the server to replay
 * from the last one it showed. Repeats (same or older eventId) are dropped.
 *
 * Browser-safe: no Node APIs.
 */
import type { AlertPayload } from './queues.js';

/** Compares stream ids "ms-seq"; negative when a < b. */
function compareIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am === bm ? as - bs : am - bm;
}

export class AlertSequencer {
  /** Alerts that arrived ahead of a gap, by their prevEventId. */
  private readonly held = new Map<string, AlertPayload>();
  private replayAsked = '';
  /**
   * Donations whose paid alert was shown (the last 2000): after Redis lost its data the
   * reconciler publishes recent alerts again under new eventIds, and these are not shown twice.
   */
  private readonly shownDonations = new Set<string>();
  /** Chain steps received as `advance`: they move the chain on and are never shown. */
  private readonly silent = new WeakSet<AlertPayload>();

  /**
   * @param lastEventId the last eventId already shown ('' when none: the first alert received
   *   is taken as the start).
   * @param show called once per alert, in order.
   * @param askReplay called with the last shown eventId when a gap is seen.
   */
  constructor(
    public lastEventId: string,
    private readonly show: (alert: AlertPayload) => void,
    private readonly askReplay: (after: string) => void,
  ) {}

  /** Feeds an alert as received from the server. */
  receive(alert: AlertPayload): void {
    if (this.lastEventId && compareIds(alert.eventId, this.lastEventId) <= 0) return; // repeat
    // prevEventId '' starts a chain: the streamer's history was empty when it was published
    // (the first alert ever, or Redis lost its data and the reconciler re-published), so
    // nothing older can arrive to fill a gap.
    if (!this.lastEventId || alert.prevEventId === this.lastEventId || alert.prevEventId === '') {
      this.accept(alert);
      return;
    }
    // A gap: hold this one until its predecessors arrive, and ask for them once.
    this.held.set(alert.prevEventId, alert);
    if (this.held.size > 5000) this.held.clear();
    if (this.replayAsked !== this.lastEventId) {
      this.replayAsked = this.lastEventId;
      this.askReplay(this.lastEventId);
    }
  }

  /**
   * The server's `advance`: the alert at `eventId` is one this overlay token already showed
   * (a donation re-published after Redis lost its data). It keeps its place in the chain, so
   * what follows is not held back, but it is not shown.
   */
  advance(step: { eventId: string; prevEventId: string }): void {
    const placeholder = { eventId: step.eventId, prevEventId: step.prevEventId } as AlertPayload;
    this.silent.add(placeholder);
    this.receive(placeholder);
  }

  /**
   * The server's `hello`: everything up to `lastEventId` counts as shown ('0-0' when the
   * streamer had no alerts yet). Without it a fresh client would start at whichever alert came
   * first, and an older one delivered late (by another node, or reclaimed from a dead one) would
   * be dropped as a repeat. Only moves forward (the server moves it past trimmed history).
   */
  sync(lastEventId: string): void {
    if (!lastEventId || (this.lastEventId && compareIds(lastEventId, this.lastEventId) <= 0)) return;
    this.lastEventId = lastEventId;
    const next = this.held.get(lastEventId);
    if (next) {
      this.held.delete(lastEventId);
      this.accept(next);
    }
  }

  /** After a reconnect the server replays from lastEventId: allow asking again. */
  reset(): void {
    this.replayAsked = '';
  }

  private isRepeatedDonation(alert: AlertPayload): boolean {
    if (alert.type !== 'donation.paid' || !alert.donationId) return false;
    if (this.shownDonations.has(alert.donationId)) return true;
    this.shownDonations.add(alert.donationId);
    if (this.shownDonations.size > 2000) {
      const oldest = this.shownDonations.values().next().value;
      if (oldest !== undefined) this.shownDonations.delete(oldest);
    }
    return false;
  }

  private accept(alert: AlertPayload): void {
    let next: AlertPayload | undefined = alert;
    while (next) {
      this.lastEventId = next.eventId;
      if (!this.silent.has(next) && !this.isRepeatedDonation(next)) this.show(next);
      const following: AlertPayload | undefined = this.held.get(next.eventId);
      if (following) this.held.delete(next.eventId);
      next = following;
    }
    for (const [prev] of this.held) if (compareIds(prev, this.lastEventId) < 0) this.held.delete(prev);
  }
}
