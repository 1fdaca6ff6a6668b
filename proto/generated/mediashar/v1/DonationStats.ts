// Original file: proto/mediashar/v1/donation.proto

import type { CurrencyTotal__Input as _mediashar_v1_CurrencyTotal__Input, CurrencyTotal as _mediashar_v1_CurrencyTotal } from '../../mediashar/v1/CurrencyTotal.js';
import type { TopDonor__Input as _mediashar_v1_TopDonor__Input, TopDonor as _mediashar_v1_TopDonor } from '../../mediashar/v1/TopDonor.js';
import type { DayTotal__Input as _mediashar_v1_DayTotal__Input, DayTotal as _mediashar_v1_DayTotal } from '../../mediashar/v1/DayTotal.js';
import type { ProviderTotal__Input as _mediashar_v1_ProviderTotal__Input, ProviderTotal as _mediashar_v1_ProviderTotal } from '../../mediashar/v1/ProviderTotal.js';
import type { Long } from '@grpc/proto-loader';

export interface DonationStats__Input {
  'totals'?: (_mediashar_v1_CurrencyTotal__Input)[];
  'count'?: (number | string | Long);
  'topDonors'?: (_mediashar_v1_TopDonor__Input)[];
  'perDay'?: (_mediashar_v1_DayTotal__Input)[];
  'perProvider'?: (_mediashar_v1_ProviderTotal__Input)[];
  'testCount'?: (number | string | Long);
}

export interface DonationStats {
  'totals': (_mediashar_v1_CurrencyTotal)[];
  'count': (number);
  'topDonors': (_mediashar_v1_TopDonor)[];
  'perDay': (_mediashar_v1_DayTotal)[];
  'perProvider': (_mediashar_v1_ProviderTotal)[];
  'testCount': (number);
}
