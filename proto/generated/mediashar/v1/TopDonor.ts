// Original file: proto/mediashar/v1/donation.proto

import type { Long } from '@grpc/proto-loader';

export interface TopDonor__Input {
  'donorName'?: (string);
  'currency'?: (string);
  'totalMinor'?: (number | string | Long);
  'count'?: (number | string | Long);
}

export interface TopDonor {
  'donorName': (string);
  'currency': (string);
  'totalMinor': (number);
  'count': (number);
}
