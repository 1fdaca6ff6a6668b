// Original file: proto/mediashar/v1/media_share.proto

import type { MediaShareClip__Input as _mediashar_v1_MediaShareClip__Input, MediaShareClip as _mediashar_v1_MediaShareClip } from '../../mediashar/v1/MediaShareClip.js';

export interface MediaShareQueue__Input {
  'clips'?: (_mediashar_v1_MediaShareClip__Input)[];
  'paused'?: (boolean);
  'volume'?: (number);
}

export interface MediaShareQueue {
  'clips': (_mediashar_v1_MediaShareClip)[];
  'paused': (boolean);
  'volume': (number);
}
