// Original file: proto/mediashar/v1/donation.proto

import type { Long } from '@grpc/proto-loader';

export interface ProviderTotal__Input {
  'provider'?: (string);
  'currency'?: (string);
  'totalMinor'?: (number | string | Long);
  'count'?: (number | string | Long);
}

export interface ProviderTotal {
  'provider': (string);
  'currency': (string);
  'totalMinor': (number);
  'count': (number);
}
