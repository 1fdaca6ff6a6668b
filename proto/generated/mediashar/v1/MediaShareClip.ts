// Original file: proto/mediashar/v1/media_share.proto

import type { Money__Input as _mediashar_v1_Money__Input, Money as _mediashar_v1_Money } from '../../mediashar/v1/Money.js';

export interface MediaShareClip__Input {
  'donationId'?: (string);
  'state'?: (string);
  'position'?: (number);
  'platform'?: (string);
  'videoId'?: (string);
  'url'?: (string);
  'startS'?: (number);
  'seconds'?: (number);
  'title'?: (string);
  'channel'?: (string);
  'thumbnailUrl'?: (string);
  'donorName'?: (string);
  'amount'?: (_mediashar_v1_Money__Input | null);
  'message'?: (string);
  'test'?: (boolean);
  'rejectRefund'?: (boolean);
  'createdAt'?: (string);
  'startedAt'?: (string);
  'remainingS'?: (number);
}

export interface MediaShareClip {
  'donationId': (string);
  'state': (string);
  'position': (number);
  'platform': (string);
  'videoId': (string);
  'url': (string);
  'startS': (number);
  'seconds': (number);
  'title': (string);
  'channel': (string);
  'thumbnailUrl': (string);
  'donorName': (string);
  'amount': (_mediashar_v1_Money | null);
  'message': (string);
  'test': (boolean);
  'rejectRefund': (boolean);
  'createdAt': (string);
  'startedAt': (string);
  'remainingS': (number);
}
