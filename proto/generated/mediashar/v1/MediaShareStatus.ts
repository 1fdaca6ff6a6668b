// Original file: proto/mediashar/v1/media_share.proto

import type { MediaShareClip__Input as _mediashar_v1_MediaShareClip__Input, MediaShareClip as _mediashar_v1_MediaShareClip } from '../../mediashar/v1/MediaShareClip.js';

export interface MediaShareStatus__Input {
  'found'?: (boolean);
  'clip'?: (_mediashar_v1_MediaShareClip__Input | null);
}

export interface MediaShareStatus {
  'found': (boolean);
  'clip': (_mediashar_v1_MediaShareClip | null);
}
