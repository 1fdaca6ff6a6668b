// Original file: proto/mediashar/v1/donation.proto

import type { Long } from '@grpc/proto-loader';

export interface CurrencyTotal__Input {
  'currency'?: (string);
  'totalMinor'?: (number | string | Long);
  'count'?: (number | string | Long);
  'averageMinor'?: (number | string | Long);
}

export interface CurrencyTotal {
  'currency': (string);
  'totalMinor': (number);
  'count': (number);
  'averageMinor': (number);
}
