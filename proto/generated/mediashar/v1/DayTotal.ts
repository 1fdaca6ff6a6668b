// Original file: proto/mediashar/v1/donation.proto

import type { Long } from '@grpc/proto-loader';

export interface DayTotal__Input {
  'day'?: (string);
  'currency'?: (string);
  'totalMinor'?: (number | string | Long);
  'count'?: (number | string | Long);
}

export interface DayTotal {
  'day': (string);
  'currency': (string);
  'totalMinor': (number);
  'count': (number);
}
