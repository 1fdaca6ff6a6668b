// Original file: proto/mediashar/v1/media_share.proto

import type { MediaShareClip__Input as _mediashar_v1_MediaShareClip__Input, MediaShareClip as _mediashar_v1_MediaShareClip } from '../../mediashar/v1/MediaShareClip.js';

export interface ClaimMediaShareClipResponse__Input {
  'claimed'?: (_mediashar_v1_MediaShareClip__Input | null);
  'playing'?: (_mediashar_v1_MediaShareClip__Input | null);
  'paused'?: (boolean);
  'volume'?: (number);
}

export interface ClaimMediaShareClipResponse {
  'claimed': (_mediashar_v1_MediaShareClip | null);
  'playing': (_mediashar_v1_MediaShareClip | null);
  'paused': (boolean);
  'volume': (number);
}
