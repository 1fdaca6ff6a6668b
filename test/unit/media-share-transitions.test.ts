/**
 * The media-share clip state machine (grpc/donation/media-share.store.ts): forward-only, with
 * the exact steps issue 13 names; the SQL of every move takes its allowed predecessors from here.
 */
import { expect } from 'chai';
import { canMove, MEDIA_SHARE_TRANSITIONS } from '../../grpc/donation/media-share.store.js';
import { CLIP_STATES, type ClipState } from '../../shared/queues.js';

describe('media-share clip states', () => {
  it('allows exactly the named steps', () => {
    const steps = CLIP_STATES.flatMap((from) =>
      CLIP_STATES.filter((to) => canMove(from, to)).map((to) => `${from}→${to}`),
    ).sort();
    expect(steps).to.deep.equal(
      [
        'pending_review→queued',
        'pending_review→rejected',
        'pending_review→refunded',
        'queued→playing',
        'queued→skipped',
        'queued→rejected',
        'queued→refunded',
        'playing→played',
        'playing→skipped',
        'playing→refunded',
        'rejected→refunded',
      ].sort(),
    );
  });

  it('never leaves a finished clip and never goes back (no cycle)', () => {
    for (const done of ['played', 'skipped', 'refunded'] as ClipState[])
      for (const to of CLIP_STATES) expect(canMove(done, to), `${done}→${to}`).to.equal(false);
    // Depth-first search for a cycle in the transition graph.
    const visit = (state: ClipState, path: ClipState[]): void => {
      expect(path, `cycle through ${state}`).to.not.include(state);
      for (const to of CLIP_STATES)
        if (MEDIA_SHARE_TRANSITIONS[to].includes(state)) visit(to, [...path, state]);
    };
    for (const s of CLIP_STATES) visit(s, []);
  });

  it('lets nothing be claimed but a queued clip, and no clip in review reach the player', () => {
    expect(MEDIA_SHARE_TRANSITIONS.playing).to.deep.equal(['queued']);
    expect(canMove('pending_review', 'playing')).to.equal(false);
    expect(canMove('rejected', 'queued')).to.equal(false);
  });
});
