/**
 * The word filter against a table of evasions and clean text, in English and Indonesian.
 *
 * Where the rows come from: obscenity's README (its "matches"/"does not match" lists) and its
 * issues #46, #98 ("f u c k", "f.u.c.k") and #124 ("assessment"); glin-profanity issue #45
 * ("sanctity"); WhiteHouse/petitions #51/#53 ("classic", "grass", "passion", "assure");
 * cardinalblue/profanity-filter #6 ("accumulate", "circumstance", "scuba", "therapists");
 * the Scunthorpe problem; the evasion lists of other filters' tests (leet "sh1t", "a$$hole",
 * "f*ck", spaced and dotted letters, zero-width and homoglyph insertions); Indonesian usage
 * and the aliases public Indonesian lists record ("kntl", "gblk", "bgst", "ajg", "b4b1"),
 * and Indonesian words that contain a listed one ("asumsi", "pantai", "perekonomian",
 * "memekik", "cukup", "sementara", and "testanjing" from issue 14).
 *
 * The table is run with both built-in lists and three words of the streamer's own switched
 * on, the setting where clean text is most at risk. The test prints the share of evasions
 * caught and the share of clean rows wrongly flagged, and holds them to ≥ 95 % and ≤ 2 %:
 * a streamer who lists a word must be able to trust it, and a filter that mangles one clean
 * message in fifty is one streamers switch off.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import Koa from 'koa';
import request from 'supertest';
import {
  checkText,
  customWordPattern,
  normalizeWordFilterSettings,
  wordFilterSettingsSchema,
  type WordFilterSettings,
} from '../../shared/word-filter.js';
import { defangLinks, sanitizeDisplayText } from '../../shared/display-text.js';
import { loadCase, type HostileTextCases } from '../support/fixtures.js';
import { loadConfig } from '../../shared/config.js';
import { createLogger } from '../../shared/logger.js';
import { signAccessToken } from '../../shared/access-token.js';
import { errorMiddleware } from '../../gateway/http/http.js';
import { wordFilterRouter } from '../../gateway/word-filter/word-filter.routes.js';
import type { GatewayDeps } from '../../gateway/gateway.deps.js';

const SETTINGS: WordFilterSettings = {
  mode: 'mask',
  lists: { en: true, id: true },
  words: ['bodoh', 'dasar kampung', 'sialan*'],
};

/** [text, the listed word it must be found as, kind of evasion] */
type Evasion = [string, string, string];

const EVASIONS: Evasion[] = [
  // English — plain and case
  ['fuck you', 'fuck', 'plain'],
  ['you are a little fucker', 'fuck', 'plain (obscenity README)'],
  ['SHIT happens', 'shit', 'case'],
  ['you BiTcH', 'bitch', 'case'],
  ['what an asshole', 'ass', 'compound'],
  ['total bullshit', 'shit', 'compound'],
  ['you dumbass', 'ass', 'compound'],
  ['jackass', 'ass', 'compound'],
  ['motherfucker', 'fuck', 'compound'],
  // accents and diacritics
  ['fück off', 'fuck', 'diacritics'],
  ['shït', 'shit', 'diacritics'],
  ['bítch', 'bitch', 'diacritics'],
  ['cünt', 'cunt', 'diacritics'],
  ['fu\u0301ck', 'fuck', 'combining mark'],
  // leetspeak and symbol swaps
  ['sh!t', 'shit', 'leet'],
  ['sh1t', 'shit', 'leet'],
  ['$hit', 'shit', 'leet'],
  ['5h1t', 'shit', 'leet'],
  ['a$$', 'ass', 'leet'],
  ['@ss', 'ass', 'leet'],
  ['a$$hole', 'ass', 'leet'],
  ['b!tch', 'bitch', 'leet'],
  ['b1tch', 'bitch', 'leet'],
  ['bi+ch', 'bitch', 'leet'],
  ['fvck', 'fuck', 'symbol swap'],
  ['phuck you', 'fuck', 'symbol swap'],
  ['c0ck', 'cock', 'leet'],
  ['wh0re', 'whore', 'leet'],
  ['i like a$$es', 'ass', 'leet (obscenity README)'],
  ['f*ck', 'fuck', 'masked letter'],
  ['sh*t', 'shit', 'masked letter'],
  ['b*tch', 'bitch', 'masked letter'],
  ['c*nt', 'cunt', 'masked letter'],
  // repeated letters
  ['fuuuuuuuckkk', 'fuck', 'repeated (obscenity README)'],
  ['shiiiiiit', 'shit', 'repeated'],
  ['biiiitch', 'bitch', 'repeated'],
  ['ffuk you', 'fuck', 'repeated (obscenity README)'],
  // spaces and separators between letters
  ['f u c k', 'fuck', 'spaced'],
  ['s h i t', 'shit', 'spaced'],
  ['b  i  t  c  h', 'bitch', 'spaced'],
  ['a s s h o l e', 'ass', 'spaced'],
  ['f.u.c.k', 'fuck', 'separators'],
  ['f-u-c-k you', 'fuck', 'separators'],
  ['f_u_c_k', 'fuck', 'separators'],
  ['f/u/c/k', 'fuck', 'separators'],
  ['f*u*c*k', 'fuck', 'separators'],
  ['s . h . i . t', 'shit', 'separators'],
  ['sh.it', 'shit', 'separators'],
  ['fu-ck', 'fuck', 'separators'],
  ['F.U.C.K Y.O.U', 'fuck', 'separators'],
  // Known gap: a word split into two parts of several letters each (obscenity's own
  // whitelist keeps "s hit" and "pen is" clean for the same reason).
  ['sh it', 'shit', 'split in two'],
  // zero-width and invisible characters
  ['f\u200Buck', 'fuck', 'zero-width space'],
  ['sh\u200Cit', 'shit', 'zero-width non-joiner'],
  ['bi\u200Dtch', 'bitch', 'zero-width joiner'],
  ['f\u2060u\u2060c\u2060k', 'fuck', 'word joiner'],
  ['fu\u00ADck', 'fuck', 'soft hyphen'],
  ['f\uFEFFuck', 'fuck', 'BOM'],
  ['sh\u202Eit', 'shit', 'bidi override'],
  ['cu\u034Fnt', 'cunt', 'combining grapheme joiner'],
  // homoglyphs from other scripts, full-width and styled letters
  ['fu\u0441k', 'fuck', 'Cyrillic с'],
  ['\u0430ss', 'ass', 'Cyrillic а'],
  ['\u0455hit', 'shit', 'Cyrillic ѕ'],
  ['f\u03C5ck', 'fuck', 'Greek υ'],
  ['ｆｕｃｋ', 'fuck', 'full-width'],
  ['ＳＨＩＴ', 'shit', 'full-width'],
  ['𝐟𝐮𝐜𝐤', 'fuck', 'mathematical bold'],
  ['ⓕⓤⓒⓚ', 'fuck', 'enclosed letters'],
  ['ʃ𝐟ʃὗƈｋ ỹоứ', 'fuck', 'mixed (obscenity README)'],
  // HTML entities and tags
  ['f&#117;ck', 'fuck', 'decimal entity'],
  ['&#x66;uck', 'fuck', 'hex entity'],
  ['sh&#105;t', 'shit', 'decimal entity'],
  ['b&iacute;tch', 'bitch', 'named entity'],
  ['sh&shy;it', 'shit', 'soft hyphen entity'],
  ['f<b></b>uck', 'fuck', 'empty tag'],
  ['f<span>u</span>ck', 'fuck', 'tags'],
  ['<i>shit</i>', 'shit', 'tags'],
  // Indonesian — plain, case and suffixes
  ['anjing lu', 'anjing', 'plain'],
  ['dasar bangsat', 'bangsat', 'plain'],
  ['kontol', 'kontol', 'plain'],
  ['memek', 'memek', 'plain'],
  ['ngentot', 'ngentot', 'plain'],
  ['goblok banget sih', 'goblok', 'plain'],
  ['tolol', 'tolol', 'plain'],
  ['babi lu', 'babi', 'plain'],
  ['bajingan', 'bajingan', 'plain'],
  ['keparat kau', 'keparat', 'plain'],
  ['jancuk', 'jancuk', 'plain'],
  ['asu tenan', 'asu', 'plain'],
  ['bego amat', 'bego', 'plain'],
  ['brengsek', 'brengsek', 'plain'],
  ['kampret', 'kampret', 'plain'],
  ['muka tai', 'tai', 'plain'],
  ['bacot lu', 'bacot', 'plain'],
  ['lonte', 'lonte', 'plain'],
  ['pukimak', 'pukimak', 'plain'],
  ['ANJING', 'anjing', 'case'],
  ['BaNgSaT', 'bangsat', 'case'],
  ['anjingnya kabur', 'anjing', 'suffix'],
  ['bangsatnya', 'bangsat', 'suffix'],
  ['tololnya kebangetan', 'tolol', 'suffix'],
  // Indonesian abbreviations recorded in public lists
  ['kntl', 'kontol', 'abbreviation'],
  ['gblk', 'goblok', 'abbreviation'],
  ['bgst', 'bangsat', 'abbreviation'],
  ['ajg', 'anjing', 'abbreviation'],
  ['mmk', 'memek', 'abbreviation'],
  ['jancok', 'jancuk', 'spelling'],
  ['dancuk', 'jancuk', 'spelling'],
  ['memeq', 'memek', 'spelling'],
  ['bacod lu', 'bacot', 'spelling'],
  // Indonesian — accents, leet, masked letters
  ['ánjing', 'anjing', 'diacritics'],
  ['kóntól', 'kontol', 'diacritics'],
  ['4njing', 'anjing', 'leet'],
  ['anj1ng', 'anjing', 'leet'],
  ['b4ngs4t', 'bangsat', 'leet'],
  ['k0nt0l', 'kontol', 'leet'],
  ['m3m3k', 'memek', 'leet'],
  ['ng3nt0t', 'ngentot', 'leet'],
  ['g0bl0k', 'goblok', 'leet'],
  ['t0l0l', 'tolol', 'leet'],
  ['b4b1', 'babi', 'leet'],
  ['j4ncuk', 'jancuk', 'leet'],
  ['@su', 'asu', 'leet'],
  ['bangs@t', 'bangsat', 'leet'],
  ['anj*ng', 'anjing', 'masked letter'],
  ['k*ntol', 'kontol', 'masked letter'],
  // Indonesian — repeated letters
  ['anjiiiiing', 'anjing', 'repeated'],
  ['asuuuuu', 'asu', 'repeated'],
  ['bangsaaaat', 'bangsat', 'repeated'],
  ['kontoooool', 'kontol', 'repeated'],
  ['gooooblok', 'goblok', 'repeated'],
  // Indonesian — spaces and separators
  ['a n j i n g', 'anjing', 'spaced'],
  ['k o n t o l', 'kontol', 'spaced'],
  ['b a n g s a t', 'bangsat', 'spaced'],
  ['a s u', 'asu', 'spaced'],
  ['a.n.j.i.n.g', 'anjing', 'separators'],
  ['k-o-n-t-o-l', 'kontol', 'separators'],
  ['kon-tol', 'kontol', 'separators'],
  ['bang.sat', 'bangsat', 'separators'],
  ['j_a_n_c_u_k', 'jancuk', 'separators'],
  ['kon tol', 'kontol', 'split in two'],
  ['an jing', 'anjing', 'split in two'],
  // Indonesian — invisible characters, homoglyphs, HTML
  ['anj\u200Bing', 'anjing', 'zero-width space'],
  ['kon\u200Dtol', 'kontol', 'zero-width joiner'],
  ['ba\u2060bi', 'babi', 'word joiner'],
  ['\u0430njing', 'anjing', 'Cyrillic а'],
  ['k\u043Entol', 'kontol', 'Cyrillic о'],
  ['ｋｏｎｔｏｌ', 'kontol', 'full-width'],
  ['𝐚𝐧𝐣𝐢𝐧𝐠', 'anjing', 'mathematical bold'],
  ['anj&#105;ng', 'anjing', 'decimal entity'],
  ['k<b></b>ontol', 'kontol', 'empty tag'],
  ['bangs&#x61;t', 'bangsat', 'hex entity'],
  // the streamer's own words and phrases
  ['kamu BODOH', 'bodoh', 'own word'],
  ['b0d0h', 'bodoh', 'own word, leet'],
  ['b o d o h', 'bodoh', 'own word, spaced'],
  ['bod\u200Boh', 'bodoh', 'own word, zero-width'],
  ['dasar kampung', 'dasar kampung', 'own phrase'],
  ['DASAR   kampung!', 'dasar kampung', 'own phrase, spacing'],
  ['sialannya', 'sialan*', 'own prefix word'],
];

const CLEAN: string[] = [
  // English: listed words inside clean words and phrases
  'assess the data',
  'the assessment is due',
  'a classic move',
  'Charles Dickens',
  'shitake mushrooms',
  'shiitake ramen',
  'Montenegro',
  'Scunthorpe United',
  'the pen is mightier than the sword',
  'i love bananas so yeah',
  'this song seems really banal',
  'grapes are really yummy',
  'grass field',
  'a passion project',
  'I assure you',
  'assume good faith',
  'assistant manager',
  'bass guitar',
  'mass communication',
  'assassin',
  'embarrassed',
  'harassment is not ok',
  'compass',
  'pass the exam',
  'a cocktail',
  'Hancock',
  'peacock',
  'shuttlecock',
  'cockney accent',
  'Sussex',
  'Essex',
  'sextant',
  'analysis',
  'analog',
  'therapist',
  'document',
  'cucumber',
  'circumstance',
  'cumulative',
  'Benedict Cumberbatch',
  'summa cum laude',
  'scuba diving',
  'accumulate',
  'Uranus',
  'Arsenal won',
  'titan',
  'title',
  'sanctity',
  'button',
  'Matsushita',
  'Penistone',
  'cockpit',
  'Emily Dickinson',
  'Hitchcock',
  'kung fu',
  "who're you",
  'snigger',
  'Nigeria',
  'skyscraper',
  'scattered',
  'rapper',
  'Wankel engine',
  // Indonesian: clean words that contain a listed one
  'testanjing',
  'asumsi',
  'asuransi',
  'kasus',
  'masuk',
  'pengasuh',
  'asupan gizi',
  'laptop Asus',
  'A S U S ROG',
  'pantai',
  'santai dulu',
  'rantai',
  'petai',
  'Taiwan',
  'Tai Chi',
  'memekik',
  'memekakkan telinga',
  'perekonomian',
  'perekam suara',
  'perekat',
  'perekrutan',
  'cukup',
  'cukur rambut',
  'cukai',
  'kontrol',
  'kontes',
  'bangsa',
  'kebangsaan',
  'cuma bercanda',
  'cumi-cumi',
  'sementara itu',
  'semen gresik',
  'kanal youtube',
  'analisis data',
  'assalamualaikum',
  'kelas',
  'titik',
  'titip salam',
  'pelerai',
  'brokoli',
  'begonia',
  'tolong',
  'jembatan',
  'lontong sayur',
  'Sunda',
  'tanjung',
  'anjungan',
  'babinsa',
  // everyday donation messages
  'terima kasih bang',
  'semangat terus bang, mantap jiwa',
  'GG wkwkwk',
  'salam dari Surabaya',
  'e.g. version 1.2',
  'thank you so much!!!',
];

describe('word filter table (English and Indonesian)', () => {
  it(`catches ≥ 95 % of ${EVASIONS.length} evasions and wrongly flags ≤ 2 % of ${CLEAN.length} clean texts`, () => {
    const missed = EVASIONS.filter(([text, word]) => {
      const r = checkText(text, SETTINGS);
      return !r.flagged || !r.matches.some((m) => m.word === word);
    });
    const wronglyFlagged = CLEAN.filter((text) => checkText(text, SETTINGS).flagged);
    const caught = (EVASIONS.length - missed.length) / EVASIONS.length;
    const falsePositive = wronglyFlagged.length / CLEAN.length;
    console.log(
      `      word filter: caught ${(caught * 100).toFixed(1)} % of ${EVASIONS.length} evasions, ` +
        `wrongly flagged ${(falsePositive * 100).toFixed(1)} % of ${CLEAN.length} clean texts`,
    );
    if (missed.length)
      console.log('      missed:', missed.map(([t, , k]) => `${JSON.stringify(t)} (${k})`).join(', '));
    if (wronglyFlagged.length) console.log('      wrongly flagged:', JSON.stringify(wronglyFlagged));
    expect(EVASIONS.length).to.be.at.least(80);
    expect(CLEAN.length).to.be.at.least(60);
    expect(caught).to.be.at.least(0.95);
    expect(falsePositive).to.be.at.most(0.02);
  });

  it('masks each caught evasion so no listed word survives in the masked text', () => {
    for (const [text, word] of EVASIONS) {
      const r = checkText(text, SETTINGS);
      if (!r.flagged) continue;
      // The masked text read again finds nothing of that word.
      const again = checkText(r.masked, SETTINGS);
      expect(
        again.matches.filter((m) => m.word === word),
        `${text} → ${r.masked}`,
      ).to.deep.equal([]);
      expect(r.masked).to.include('*');
    }
  });

  it('leaves clean text byte for byte as it was', () => {
    for (const text of CLEAN) {
      const r = checkText(text, SETTINGS);
      if (!r.flagged) expect(r.masked).to.equal(text);
    }
  });
});

describe('checkText', () => {
  it('masks just the matched span, one asterisk per letter read, and reports offsets into the text', () => {
    const r = checkText('Dasar BODOH kau, f u c k!', SETTINGS);
    expect(r.flagged).to.equal(true);
    expect(r.masked).to.equal('Dasar ***** kau, ****!');
    expect(r.matches).to.deep.equal([
      { word: 'bodoh', start: 6, end: 11 },
      { word: 'fuck', start: 17, end: 24 },
    ]);
    expect('Dasar BODOH kau, f u c k!'.slice(17, 24)).to.equal('f u c k');
  });

  it('covers entities, tags and invisible characters inside a match, and keeps the rest', () => {
    const text = 'halo <b>k&#111;n\u200Btol</b> bang';
    const r = checkText(text, SETTINGS);
    expect(r.masked).to.equal('halo <b>******</b> bang');
    expect(text.slice(r.matches[0]!.start, r.matches[0]!.end)).to.equal('k&#111;n\u200Btol');
  });

  it('reads the old settings shape (a plain list of words) as mode mask with no built-in list', () => {
    expect(normalizeWordFilterSettings(['bodoh'])).to.deep.equal({
      mode: 'mask',
      lists: { en: false, id: false },
      words: ['bodoh'],
    });
    expect(checkText('Dasar BODOH kau', ['bodoh']).masked).to.equal('Dasar ***** kau');
    // The built-in lists are off unless switched on.
    expect(checkText('anjing fuck', ['bodoh']).flagged).to.equal(false);
    expect(checkText('anjing fuck', { lists: { id: true } }).matches.map((m) => m.word)).to.deep.equal([
      'anjing',
    ]);
  });

  it('fills defaults for partial or unreadable settings', () => {
    expect(normalizeWordFilterSettings(undefined)).to.deep.equal({
      mode: 'mask',
      lists: { en: false, id: false },
      words: [],
    });
    expect(normalizeWordFilterSettings({ mode: 'hold' })).to.deep.equal({
      mode: 'hold',
      lists: { en: false, id: false },
      words: [],
    });
    expect(normalizeWordFilterSettings({ mode: 'shout' }).mode).to.equal('mask');
    expect(wordFilterSettingsSchema.safeParse({ words: ['x'.repeat(51)] }).success).to.equal(false);
  });

  it('finds the same matches in hold mode (the caller holds instead of masking)', () => {
    const hold = checkText('anjing', { mode: 'hold', lists: { en: false, id: true }, words: [] });
    expect(hold).to.deep.equal({
      flagged: true,
      masked: '******',
      matches: [{ word: 'anjing', start: 0, end: 6 }],
    });
  });

  it('reads a streamer word as a whole word, with * for longer words and for one letter', () => {
    expect(customWordPattern('Bodoh')).to.equal('|bodoh|');
    expect(customWordPattern('sialan*')).to.equal('|sialan');
    expect(customWordPattern('*kampret*')).to.equal('kampret');
    expect(customWordPattern('b*doh')).to.equal('|b?doh|');
    expect(customWordPattern('***')).to.equal(null);
    expect(checkText('bodohnya', ['bodoh']).flagged).to.equal(false);
    expect(checkText('sialannya', ['sialan*']).flagged).to.equal(true);
    expect(checkText('badoh', ['b*doh']).flagged).to.equal(true);
  });

  it('returns the text unchanged when nothing is listed', () => {
    const text = 'f u c k \u202Eanything';
    expect(checkText(text, [])).to.deep.equal({ flagged: false, masked: text, matches: [] });
  });
});

describe('hostile text (test/fixtures/cases/hostile-text.json)', () => {
  const { messages } = loadCase<HostileTextCases>('hostile-text.json');
  const BIDI_OR_INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\u00ad\u180e]/u;

  it('sanitizeDisplayText leaves no bidi override or zero-width character and no HTML', () => {
    for (const message of messages) {
      const shown = sanitizeDisplayText(message);
      expect(shown, JSON.stringify(message)).not.to.match(BIDI_OR_INVISIBLE);
      expect(shown, JSON.stringify(message)).not.to.match(/<[a-z!?/]/i);
    }
    expect(sanitizeDisplayText('\u202Egnp.exe')).to.equal('gnp.exe');
    expect(sanitizeDisplayText('terima kasih 🙏🔥 <b>bang</b> &amp; &lt;3')).to.equal(
      'terima kasih 🙏🔥 bang &amp; &lt;3',
    );
  });

  it('sanitizeDisplayText does not let stripping build markup, and keeps emoji sequences and text', () => {
    expect(sanitizeDisplayText('<<b>script>alert(1)<</b>/script>')).not.to.match(/<\s*[a-z/]/i);
    expect(sanitizeDisplayText('<scr<b>ipt>x')).not.to.match(/<\s*[a-z/]/i);
    expect(sanitizeDisplayText('a <img src=x onerror=alert(1)')).to.equal('a ‹img src=x onerror=alert(1)');
    expect(sanitizeDisplayText('I <3 you, 2 < 3')).to.equal('I <3 you, 2 < 3');
    expect(sanitizeDisplayText('👨\u200D👩\u200D👧 ❤\uFE0F')).to.equal('👨\u200D👩\u200D👧 ❤\uFE0F');
    expect(sanitizeDisplayText('a\u200Bb\u200Dc\u00ADd\u2066e\u2069')).to.equal('abcde');
    expect([...sanitizeDisplayText(`Z${'\u0301'.repeat(40)}!`)]).to.have.length(5);
    expect(sanitizeDisplayText('line one\nline two')).to.equal('line one\nline two');
  });

  it('checkText leaves every hostile message as it was when nothing listed is in it', () => {
    for (const message of messages) {
      const r = checkText(message, SETTINGS);
      expect(r.flagged, JSON.stringify(message)).to.equal(false);
      expect(r.masked).to.equal(message);
    }
  });
});

describe('defangLinks', () => {
  const rows: [string, string][] = [
    ['visit example.com now', 'visit example[.]com now'],
    ['https://x.io/a?b=1', 'hxxps://x[.]io/a?b=1'],
    ['http://evil.example/path.html', 'hxxp://evil[.]example/path.html'],
    ['HTTPS://Shop.Example.COM', 'hxxpS://Shop[.]Example[.]COM'],
    ['slot gacor di judi.online', 'slot gacor di judi[.]online'],
    ['www.tokopedia.com/toko', 'www[.]tokopedia[.]com/toko'],
    ['mail me@example.co.id', 'mail me@example[.]co[.]id'],
    ['ip 127.0.0.1/x', 'ip 127[.]0[.]0[.]1/x'],
    ['e.g. version 1.2, terima kasih.', 'e.g. version 1.2, terima kasih.'],
    ['no links here', 'no links here'],
  ];
  for (const [text, expected] of rows) {
    it(`${JSON.stringify(text)} → ${JSON.stringify(expected)}`, () => {
      expect(defangLinks(text)).to.equal(expected);
    });
  }
});

describe('POST /api/v1/me/word-filter/check', () => {
  const config = loadConfig({ JWT_SECRET: 'k'.repeat(32), SANDBOX_WEBHOOK_SECRET: 's'.repeat(32) });
  const streamerId = randomUUID();
  let settings: unknown = SETTINGS;
  const app = new Koa();
  app.use(errorMiddleware(createLogger('test', 'silent')));
  const deps = {
    config,
    accounts: {
      streamerById: (id: string) => {
        expect(id).to.equal(streamerId);
        return Promise.resolve({ userId: id, settings: { wordFilter: settings } });
      },
    },
  } as unknown as GatewayDeps;
  const router = wordFilterRouter(deps);
  app.use(router.routes()).use(router.allowedMethods());
  const token = () => signAccessToken(config, { sub: streamerId, role: 'streamer', username: 'mystream' });

  it("answers what the donation path would make of the text under the streamer's settings", async () => {
    settings = SETTINGS;
    const res = await request(app.callback())
      .post('/api/v1/me/word-filter/check')
      .set('authorization', `Bearer ${await token()}`)
      .send({ text: 'mantap a.n.j.i.n.g, testanjing aman' });
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({
      ...checkText('mantap a.n.j.i.n.g, testanjing aman', SETTINGS),
      masked: 'mantap ******, testanjing aman',
    });
    expect(res.body.matches).to.deep.equal([{ word: 'anjing', start: 7, end: 18 }]);
  });

  it('reads the old plain-list settings', async () => {
    settings = ['bodoh'];
    const res = await request(app.callback())
      .post('/api/v1/me/word-filter/check')
      .set('authorization', `Bearer ${await token()}`)
      .send({ text: 'Dasar BODOH, anjing' });
    expect(res.body).to.deep.equal({
      flagged: true,
      masked: 'Dasar *****, anjing',
      matches: [{ word: 'bodoh', start: 6, end: 11 }],
    });
  });

  it('refuses a missing text with a 400 naming the field, and a caller without a token with 401', async () => {
    const bad = await request(app.callback())
      .post('/api/v1/me/word-filter/check')
      .set('authorization', `Bearer ${await token()}`)
      .send({});
    expect(bad.status).to.equal(400);
    expect(bad.body.error.details.fields).to.have.property('text');
    const anonymous = await request(app.callback()).post('/api/v1/me/word-filter/check').send({ text: 'x' });
    expect(anonymous.status).to.equal(401);
  });
});
