/** The shared cases, copied into test/fixtures/cases so a clone alone passes its tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'cases');

/** Parses one case file by name (e.g. "money.json"). */
export function loadCase<T>(file: string): T {
  return JSON.parse(readFileSync(join(DIR, file), 'utf8')) as T;
}

export interface MoneyCases {
  cases: {
    display: string;
    currency: string;
    iso_exponent: number;
    amount_minor: number;
    midtrans_gross_amount?: number | null;
    stripe_amount?: number;
    paypal_value?: string;
  }[];
  parse_user_input: { input: string; currency: string; amount_minor?: number; error?: boolean }[];
}

export interface HostileTextCases {
  messages: string[];
}

export interface MediaUrlCases {
  accept: { url: string; platform: string; video_id: string; start_s: number }[];
  reject: string[];
}
