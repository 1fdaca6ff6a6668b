/**
 * The `media-share-commands` processor (donation worker pool): applies one of the streamer's
 * commands to donation_db through MediaShareStore, which publishes the resulting events. Every
 * command is idempotent in effect (conditional UPDATEs; pause, resume and volume set a value).
 */
import type { MediaShareCommandJob } from '../../shared/queues.js';
import type { MediaShareStore } from './media-share.store.js';

/** Runs one command. @returns what changed, for the job's log. */
export async function runMediaShareCommand(
  store: MediaShareStore,
  job: MediaShareCommandJob,
): Promise<{ moved: boolean } | { skipped: number } | { paused: boolean; volume: number }> {
  const { streamerId, donationId, requestId } = job;
  switch (job.action) {
    case 'approve':
      return store.approve(streamerId, donationId, requestId);
    case 'reject':
      return store.reject(streamerId, donationId, job.refund, requestId);
    case 'move':
      return store.move(streamerId, donationId, job.before, requestId);
    case 'skip':
      return store.skip(streamerId, donationId, requestId);
    case 'clear':
      return { skipped: await store.clear(streamerId, requestId) };
    case 'pause':
      return store.setPaused(streamerId, true, requestId);
    case 'resume':
      return store.setPaused(streamerId, false, requestId);
    case 'volume':
      return store.setVolume(streamerId, job.volume, requestId);
    case 'panic':
      await store.panic(streamerId, requestId);
      return { paused: true, volume: (await store.player(streamerId)).volume };
  }
}
