/**
 * Indonesian words for the reasons the API gives when it refuses a media-share link
 * (`fields.mediaUrl`, written in English by shared/media-share.ts `refuse()`), so an Indonesian
 * donor learns what is wrong with the link instead of a general "use a YouTube or TikTok link".
 * A reason missing here falls back to the page's general message.
 */
export const MEDIA_URL_REASONS_ID: Readonly<Record<string, string>> = {
  "is a channel's live stream; link the video itself":
    'Ini siaran langsung sebuah channel; tautkan videonya langsung.',
  'has a start time YouTube cannot read (use e.g. t=90, t=1m30s or t=1h2m3s)':
    'Waktu mulainya tidak terbaca YouTube (pakai misalnya t=90, t=1m30s atau t=1h2m3s).',
  'is a TikTok live; link one video': 'Ini siaran langsung TikTok; tautkan satu video.',
  'is a TikTok photo post; only videos can play': 'Ini postingan foto TikTok; hanya video yang bisa diputar.',
  'is a TikTok profile; link one video': 'Ini profil TikTok; tautkan satu video.',
  'is a channel; link one video': 'Ini tautan channel; tautkan satu video.',
  'is a clip; link the video (with its start time)': 'Ini klip; tautkan videonya (dengan waktu mulainya).',
  'is a playlist; link one video of it': 'Ini playlist; tautkan satu video di dalamnya.',
  'is a short TikTok link that did not lead to a video; open it and paste the full video link':
    'Tautan pendek TikTok ini tidak mengarah ke video; buka lalu tempel tautan video lengkapnya.',
  'is a short TikTok link; it must be resolved first':
    'Tautan pendek TikTok ini belum bisa dibuka; coba lagi.',
  'must be a YouTube or TikTok video link': 'Harus tautan video YouTube atau TikTok.',
  'must be an https link': 'Harus tautan https.',
  'must be one link, without spaces': 'Satu tautan saja, tanpa spasi.',
  'must link to one TikTok video': 'Harus menaut ke satu video TikTok.',
  'must link to one YouTube video': 'Harus menaut ke satu video YouTube.',
  'must not contain a port': 'Tautan tidak boleh berisi port.',
  'must not contain a user name or password': 'Tautan tidak boleh berisi nama pengguna atau kata sandi.',
};
