// Original file: proto/mediashar/v1/common.proto

import type { Long } from '@grpc/proto-loader';

export interface Money__Input {
  'amountMinor'?: (number | string | Long);
  'currency'?: (string);
}

export interface Money {
  'amountMinor': (number);
  'currency': (string);
}
