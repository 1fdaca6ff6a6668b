/** Shapes of the API answers the pages use (see /docs/openapi.json and /tmp notes of the API). */
export interface MoneyValue {
  minor: number;
  currency: string;
  exponent?: number;
  formatted?: string;
}
export interface ProviderOffer {
  id: string;
  name?: string;
}
export interface PublicStreamer {
  id: string;
  username: string;
  displayName: string;
  avatarUrl: string;
  bio?: string;
  links?: Partial<Record<'youtube' | 'twitch' | 'tiktok' | 'instagram', string>>;
  currency: string;
  currencies?: string[];
  minDonation: { amount: number; minor?: number; currency: string; formatted: string };
  presets?: Record<string, MoneyValue[]>;
  providers: (string | ProviderOffer)[];
  providerIds?: string[];
  mediaShare: { enabled: boolean; minMinor?: number };
  goal: { amount: number; currency: string; title: string } | null;
}
export interface PublicConfig {
  realtimeUrl: string;
  realtimeTransports?: string[];
  providers: string[];
  currencies: string[];
  limits: { messageMaxLength: number; donorNameMaxLength: number };
  /** Mail is on: the donor page offers an email receipt. */
  receipts?: boolean;
}
/**
 * The streamer's media-share rules as stored (`settings.mediaShare`); rows written before a rule
 * existed lack it (the API's defaults apply). Amounts in minor units per ISO 4217 currency.
 */
export interface MediaShareSettings {
  enabled: boolean;
  /** Minimum in the streamer's own currency (older rows); `minByCurrency` overrides it. */
  minMinor?: number;
  minByCurrency?: Record<string, number>;
  platforms?: ('youtube' | 'tiktok')[];
  pricePerSecondMinor?: Record<string, number>;
  /** Longest play of one clip, seconds (default 30). */
  maxSeconds?: number;
  holdForApproval?: boolean;
  refundOnReject?: boolean;
  /** YouTube channel ids or handles, TikTok usernames. */
  blockedChannels?: string[];
  onlyAllowedChannels?: boolean;
  allowedChannels?: string[];
  /** Words refused in clip titles. */
  blockedWords?: string[];
  /** Seconds a donor waits between two clips. */
  cooldownS?: number;
}
export interface StreamerSettingsRaw {
  alertDurationMs: number;
  ttsMinMinor: number;
  soundUrl: string;
  /** Older rows: a plain list of words; now {mode, lists, words} (shared/word-filter.ts). */
  wordFilter: string[] | WordFilterSettings;
  providers: string[];
  mediaShare: MediaShareSettings;
  goalMinor: number;
  goalTitle: string;
  language?: 'id' | 'en';
  [key: string]: unknown;
}
export interface PrivateStreamer {
  id: string;
  username: string;
  displayName: string;
  avatarUrl: string;
  bio?: string;
  links?: Partial<Record<'youtube' | 'twitch' | 'tiktok' | 'instagram', string>>;
  currency: string;
  minDonation: number;
  /** Accepted currencies, the own one first, each with its minimum. */
  currencies?: { currency: string; minMinor: number; min?: MoneyValue }[];
  presets?: Record<string, MoneyValue[]>;
  language?: 'id' | 'en';
  goal?: { target: MoneyValue; title: string; startedAt: string } | null;
  settings: StreamerSettingsRaw;
}
export interface Me {
  id: string;
  role: 'streamer' | 'donor' | 'admin';
  email: string;
  emailVerified: boolean;
  streamer?: PrivateStreamer;
}
export interface DonationRow {
  id: string;
  donorName: string;
  anonymous: boolean;
  amount: number;
  currency: string;
  message: string;
  /** Word filter hold mode: null, `held` (text in heldMessage), `approved` or `rejected`. */
  messageReview?: 'held' | 'approved' | 'rejected' | null;
  heldMessage?: string | null;
  status: string;
  provider: string;
  /** A sandbox donation: no real money moved. */
  test?: boolean;
  createdAt: string;
  paidAt: string | null;
}
export interface AlertPayload {
  eventId: string;
  type: string;
  donationId: string;
  donorName: string;
  amount: number;
  currency: string;
  message: string;
  createdAt: string;
  test: boolean;
  /** The donor's message is held by the word filter: shown without its text. */
  messageHeld?: boolean;
}

/** The word filter settings (PATCH /me/settings `wordFilter`, see shared/word-filter.ts). */
export interface WordFilterSettings {
  mode: 'mask' | 'hold';
  lists: { en: boolean; id: boolean };
  words: string[];
}
