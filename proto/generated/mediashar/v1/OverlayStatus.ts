// Original file: proto/mediashar/v1/notification.proto

import type { ConnectedOverlay__Input as _mediashar_v1_ConnectedOverlay__Input, ConnectedOverlay as _mediashar_v1_ConnectedOverlay } from '../../mediashar/v1/ConnectedOverlay.js';

export interface OverlayStatus__Input {
  'connected'?: (number);
  'overlays'?: (_mediashar_v1_ConnectedOverlay__Input)[];
}

export interface OverlayStatus {
  'connected': (number);
  'overlays': (_mediashar_v1_ConnectedOverlay)[];
}
