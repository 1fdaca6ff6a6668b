/**
 * The mails of MediaShar in Indonesian and English, each as HTML and plain text: a donor's
 * receipt, the streamer's per-donation mail and daily digest, refund notices and the account
 * mails (password reset, email verification). Donor text is escaped in HTML (shown as typed,
 * never markup); amounts and durations are formatted with Intl (shared/money.ts). Every mail that is not transactional (streamer mails,
 * digests, the streamer's refund notice) carries an unsubscribe link (and List-Unsubscribe).
 */
import { escapeHtml } from '../web/html.js';
import { amountText } from './chat-channels.js';
import type { DigestTotal } from './notifications.store.js';

export type MailLanguage = 'id' | 'en';

/** A rendered mail. */
export interface Mail {
  subject: string;
  text: string;
  html: string;
  /** Set on non-transactional mail: the one-click unsubscribe URL. */
  unsubscribeUrl?: string;
}

const DATE_LOCALES = { en: 'en-US', id: 'id-ID' } as const;

/** "90 minutes", "24 hours" / "24 jam" (Intl unit formatting, whole hours when they fit). */
function hoursText(minutes: number, language: MailLanguage): string {
  const hours = minutes % 60 === 0 && minutes >= 60;
  return new Intl.NumberFormat(DATE_LOCALES[language], {
    style: 'unit',
    unit: hours ? 'hour' : 'minute',
    unitDisplay: 'long',
  }).format(hours ? minutes / 60 : minutes);
}

const WORDS = {
  en: {
    receiptSubject: (streamer: string) => `Your donation to ${streamer}`,
    receiptIntro: (streamer: string) => `Thank you! Your donation to ${streamer} has been paid.`,
    amount: 'Amount',
    name: 'Name',
    message: 'Message',
    donationId: 'Donation id',
    date: 'Date',
    test: 'This was a test donation: no money moved.',
    streamerSubject: (name: string, amount: string) => `${name} donated ${amount}`,
    streamerIntro: 'You received a donation.',
    digestSubject: (n: number) => `Your MediaShar digest: ${n} donation${n === 1 ? '' : 's'}`,
    digestIntro: (from: string, until: string) => `Donations paid from ${from} to ${until}:`,
    digestNone: 'No paid donations in this period.',
    digestTest: 'Test donations (not counted):',
    donations: (n: number) => `${n} donation${n === 1 ? '' : 's'}`,
    refundSubject: (amount: string) => `Donation refunded: ${amount}`,
    refundDonor: (streamer: string) => `Your donation to ${streamer} has been refunded.`,
    refundStreamer: 'A donation to you has been refunded.',
    resetSubject: 'Reset your MediaShar password',
    resetIntro: 'Someone (hopefully you) asked to reset the password of this MediaShar account.',
    resetAction: 'Choose a new password',
    resetExpiry: (minutes: number) =>
      `The link works once, for ${minutes} minutes. If you did not ask for it, ignore this mail: your password stays as it is.`,
    verifySubject: 'Confirm your email for MediaShar',
    verifyIntro: 'Welcome to MediaShar! Confirm that this address is yours.',
    verifyAction: 'Confirm my email',
    verifyExpiry: (minutes: number) =>
      `The link works once, for ${hoursText(minutes, 'en')}. If you did not sign up, ignore this mail.`,
    unsubscribe: 'Stop these mails',
    unsubscribeNote: 'You get this mail because you turned on donation mails in your MediaShar dashboard.',
  },
  id: {
    receiptSubject: (streamer: string) => `Donasi kamu untuk ${streamer}`,
    receiptIntro: (streamer: string) => `Terima kasih! Donasi kamu untuk ${streamer} sudah dibayar.`,
    amount: 'Jumlah',
    name: 'Nama',
    message: 'Pesan',
    donationId: 'ID donasi',
    date: 'Tanggal',
    test: 'Ini donasi uji: tidak ada uang yang berpindah.',
    streamerSubject: (name: string, amount: string) => `${name} berdonasi ${amount}`,
    streamerIntro: 'Kamu menerima donasi.',
    digestSubject: (n: number) => `Ringkasan MediaShar kamu: ${n} donasi`,
    digestIntro: (from: string, until: string) => `Donasi yang dibayar dari ${from} sampai ${until}:`,
    digestNone: 'Tidak ada donasi yang dibayar pada periode ini.',
    digestTest: 'Donasi uji (tidak dihitung):',
    donations: (n: number) => `${n} donasi`,
    refundSubject: (amount: string) => `Donasi dikembalikan: ${amount}`,
    refundDonor: (streamer: string) => `Donasi kamu untuk ${streamer} sudah dikembalikan.`,
    refundStreamer: 'Sebuah donasi untukmu sudah dikembalikan.',
    resetSubject: 'Atur ulang kata sandi MediaShar kamu',
    resetIntro: 'Seseorang (semoga kamu) meminta pengaturan ulang kata sandi akun MediaShar ini.',
    resetAction: 'Pilih kata sandi baru',
    resetExpiry: (minutes: number) =>
      `Tautan ini hanya berlaku sekali, selama ${minutes} menit. Jika kamu tidak memintanya, abaikan email ini: kata sandimu tetap sama.`,
    verifySubject: 'Konfirmasi email kamu untuk MediaShar',
    verifyIntro: 'Selamat datang di MediaShar! Konfirmasi bahwa alamat ini milikmu.',
    verifyAction: 'Konfirmasi email saya',
    verifyExpiry: (minutes: number) =>
      `Tautan ini hanya berlaku sekali, selama ${hoursText(minutes, 'id')}. Jika kamu tidak mendaftar, abaikan email ini.`,
    unsubscribe: 'Berhenti menerima email ini',
    unsubscribeNote: 'Kamu menerima email ini karena mengaktifkan email donasi di dasbor MediaShar.',
  },
} as const;

function dateText(iso: string, language: MailLanguage): string {
  const text = new Intl.DateTimeFormat(DATE_LOCALES[language], {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'UTC',
  }).format(new Date(iso));
  return `${text} UTC`;
}

function layout(
  title: string,
  bodyHtml: string,
  unsubscribe?: { url: string; label: string; note: string },
): string {
  const footer = unsubscribe
    ? `<p style="color:#777;font-size:12px">${escapeHtml(unsubscribe.note)} <a href="${escapeHtml(unsubscribe.url)}">${escapeHtml(unsubscribe.label)}</a></p>`
    : '';
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body style="font-family:sans-serif;line-height:1.5;color:#222"><h1 style="font-size:20px">${escapeHtml(title)}</h1>${bodyHtml}${footer}<p style="color:#777;font-size:12px">MediaShar</p></body></html>`;
}

function rows(pairs: [string, string][]): { html: string; text: string } {
  return {
    html: `<table>${pairs.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`,
    text: pairs.map(([k, v]) => `${k}: ${v}`).join('\n'),
  };
}

function textFooter(language: MailLanguage, unsubscribeUrl?: string): string {
  const w = WORDS[language];
  return unsubscribeUrl
    ? `\n\n--\n${w.unsubscribeNote}\n${w.unsubscribe}: ${unsubscribeUrl}\n`
    : '\n\n--\nMediaShar\n';
}

/** The donation a mail is about (donor text already through the word filter where the streamer reads it). */
export interface MailDonation {
  donationId: string;
  donorName: string;
  message: string;
  amountMinor: number;
  currency: string;
  test: boolean;
  paidAt: string;
}

/** A donor's receipt (transactional: no unsubscribe). */
export function receiptMail(d: MailDonation, streamerName: string, language: MailLanguage): Mail {
  const w = WORDS[language];
  const table = rows([
    [w.amount, amountText(d, language)],
    [w.name, d.donorName],
    ...(d.message ? ([[w.message, d.message]] as [string, string][]) : []),
    [w.date, dateText(d.paidAt, language)],
    [w.donationId, d.donationId],
  ]);
  const subject = w.receiptSubject(streamerName);
  const test = d.test ? `\n\n${w.test}` : '';
  return {
    subject,
    text: `${w.receiptIntro(streamerName)}\n\n${table.text}${test}${textFooter(language)}`,
    html: layout(
      subject,
      `<p>${escapeHtml(w.receiptIntro(streamerName))}</p>${table.html}${d.test ? `<p>${escapeHtml(w.test)}</p>` : ''}`,
    ),
  };
}

/** The streamer's mail about one donation. */
export function streamerDonationMail(d: MailDonation, language: MailLanguage, unsubscribeUrl: string): Mail {
  const w = WORDS[language];
  const amount = amountText(d, language);
  const table = rows([
    [w.amount, amount],
    [w.name, d.donorName],
    ...(d.message ? ([[w.message, d.message]] as [string, string][]) : []),
    [w.date, dateText(d.paidAt, language)],
  ]);
  const subject = `${d.test ? `[TEST] ` : ''}${w.streamerSubject(d.donorName, amount)}`;
  return {
    subject,
    unsubscribeUrl,
    text: `${w.streamerIntro}\n\n${table.text}${d.test ? `\n\n${w.test}` : ''}${textFooter(language, unsubscribeUrl)}`,
    html: layout(
      subject,
      `<p>${escapeHtml(w.streamerIntro)}</p>${table.html}${d.test ? `<p>${escapeHtml(w.test)}</p>` : ''}`,
      { url: unsubscribeUrl, label: w.unsubscribe, note: w.unsubscribeNote },
    ),
  };
}

/** The streamer's digest of a window: totals per currency, test donations apart. */
export function digestMail(
  totals: { real: DigestTotal[]; test: DigestTotal[] },
  window: { from: string; until: string },
  language: MailLanguage,
  unsubscribeUrl: string,
): Mail {
  const w = WORDS[language];
  const count = totals.real.reduce((n, t) => n + t.count, 0);
  const line = (t: DigestTotal) => `${amountText(t, language)} (${w.donations(t.count)})`;
  const subject = w.digestSubject(count);
  const intro = w.digestIntro(dateText(window.from, language), dateText(window.until, language));
  const real = totals.real.length ? totals.real.map(line) : [w.digestNone];
  const test = totals.test.length ? [w.digestTest, ...totals.test.map(line)] : [];
  return {
    subject,
    unsubscribeUrl,
    text: `${intro}\n\n${real.map((l) => `- ${l}`).join('\n')}${
      test.length
        ? `\n\n${test[0]}\n${test
            .slice(1)
            .map((l) => `- ${l}`)
            .join('\n')}`
        : ''
    }${textFooter(language, unsubscribeUrl)}`,
    html: layout(
      subject,
      `<p>${escapeHtml(intro)}</p><ul>${real.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>${
        test.length
          ? `<p>${escapeHtml(test[0]!)}</p><ul>${test
              .slice(1)
              .map((l) => `<li>${escapeHtml(l)}</li>`)
              .join('')}</ul>`
          : ''
      }`,
      { url: unsubscribeUrl, label: w.unsubscribe, note: w.unsubscribeNote },
    ),
  };
}

/** A refund notice: to the donor (transactional) or to the streamer (with unsubscribe). */
export function refundMail(
  d: MailDonation,
  to: { kind: 'donor'; streamerName: string } | { kind: 'streamer'; unsubscribeUrl: string },
  language: MailLanguage,
): Mail {
  const w = WORDS[language];
  const amount = amountText(d, language);
  const intro = to.kind === 'donor' ? w.refundDonor(to.streamerName) : w.refundStreamer;
  const table = rows([
    [w.amount, amount],
    [w.name, d.donorName],
    [w.donationId, d.donationId],
  ]);
  const unsubscribeUrl = to.kind === 'streamer' ? to.unsubscribeUrl : undefined;
  const subject = w.refundSubject(amount);
  return {
    subject,
    unsubscribeUrl,
    text: `${intro}\n\n${table.text}${textFooter(language, unsubscribeUrl)}`,
    html: layout(
      subject,
      `<p>${escapeHtml(intro)}</p>${table.html}`,
      unsubscribeUrl ? { url: unsubscribeUrl, label: w.unsubscribe, note: w.unsubscribeNote } : undefined,
    ),
  };
}

/** A transactional mail whose one action is a single-use link. */
function linkMail(
  words: { subject: string; intro: string; action: string; expiry: string },
  url: string,
  language: MailLanguage,
): Mail {
  return {
    subject: words.subject,
    text: `${words.intro}\n\n${words.action}: ${url}\n\n${words.expiry}${textFooter(language)}`,
    html: layout(
      words.subject,
      `<p>${escapeHtml(words.intro)}</p><p><a href="${escapeHtml(url)}">${escapeHtml(words.action)}</a></p><p>${escapeHtml(words.expiry)}</p>`,
    ),
  };
}

/** The password-reset mail (transactional). @param ttlS the link's lifetime in seconds. */
export function passwordResetMail(resetUrl: string, ttlS: number, language: MailLanguage): Mail {
  const w = WORDS[language];
  return linkMail(
    {
      subject: w.resetSubject,
      intro: w.resetIntro,
      action: w.resetAction,
      expiry: w.resetExpiry(Math.round(ttlS / 60)),
    },
    resetUrl,
    language,
  );
}

/** The email-verification mail (transactional). @param ttlS the link's lifetime in seconds. */
export function emailVerificationMail(verifyUrl: string, ttlS: number, language: MailLanguage): Mail {
  const w = WORDS[language];
  return linkMail(
    {
      subject: w.verifySubject,
      intro: w.verifyIntro,
      action: w.verifyAction,
      expiry: w.verifyExpiry(Math.round(ttlS / 60)),
    },
    verifyUrl,
    language,
  );
}
