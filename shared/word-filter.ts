/**
 * The streamer's word filter: finds listed words and phrases in donor text however they are
 * disguised, and masks them (or flags the text for review). Matching is obscenity's
 * (`RegExpMatcher`, `DataSet`, its English dataset, confusables and leetspeak tables, whitelists
 * and word boundaries); what this module adds is the normalisation obscenity leaves to its
 * caller, done with a map back to the original text so the right characters are masked:
 *
 * - HTML tags are removed and entities decoded (`f&#117;ck`, `f<b></b>uck`);
 * - invisible characters are dropped (zero-width, bidi controls, soft hyphen, variation
 *   selectors, tag characters: every Default_Ignorable_Code_Point), accents and diacritics
 *   stripped after NFKD, which also folds full-width and mathematical letters (`ｆ`, `𝐟`);
 *   homoglyphs from other scripts go through obscenity's confusables table (`а` Cyrillic → a);
 * - leetspeak symbols count as letters inside a word (`sh!t`, `a$$`, `k0nt0l`) but not as
 *   punctuation at its edges (`asu!` is "asu", not "asui");
 * - letters spaced out or split by separators are joined (`f u c k`, `f.u.c.k`, `kon-tol`),
 *   and a `*` inside a word stands for one hidden letter (`sh*t`, `anj*ng`).
 *
 * obscenity's own `skipNonAlphabeticTransformer` is not used over whole messages: it would
 * join "pen is" and "an al" (its issues #23 and #46). The text is instead read twice — once
 * with every separator as a word break, once with in-word separators and spaced-out single
 * letters joined — and a match in either counts. Words match with word boundaries (and
 * whitelists of clean words) so "assess", "classic", "Scunthorpe" or Indonesian "asumsi",
 * "pantai", "perekonomian" and "testanjing" are left alone.
 */
import {
  collapseDuplicatesTransformer,
  DataSet,
  englishDataset,
  englishRecommendedWhitelistMatcherTransformers,
  parseRawPattern,
  pattern,
  RegExpMatcher,
  resolveConfusablesTransformer,
  resolveLeetSpeakTransformer,
  toAsciiLowerCaseTransformer,
  type MatchPayload,
} from 'obscenity';
import { decodeHTML } from 'entities';
import { z } from 'zod';

/** What the filter does with a donation whose text matched. */
export type WordFilterMode = 'mask' | 'hold';

/**
 * A streamer's word filter settings (kept in gateway_db, `settings.wordFilter`).
 * - `mode`: `mask` replaces each match with asterisks wherever the text is shown (alerts, TTS,
 *   widgets, dashboard); `hold` keeps the text for the streamer to review before it is shown.
 *   Default `mask`.
 * - `lists`: the built-in lists switched on, English (`en`) and Indonesian (`id`). Default off.
 * - `words`: the streamer's own words and phrases (1–50 characters each, at most 500). A word
 *   matches as a whole word; `*` at its start or end also matches it inside longer words
 *   (`bodoh*` catches "bodohnya"), `*` inside it stands for one letter.
 */
export interface WordFilterSettings {
  mode: WordFilterMode;
  lists: { en: boolean; id: boolean };
  words: string[];
}

/** One match: the listed word and where it is in the original text (UTF-16 offsets, end exclusive). */
export interface WordFilterMatch {
  word: string;
  start: number;
  end: number;
}

/** The result of {@link checkText}. */
export interface WordFilterResult {
  /** True when at least one listed word was found. */
  flagged: boolean;
  /** The text with every match replaced by asterisks (the text itself when nothing matched). */
  masked: string;
  /** Matches in text order. */
  matches: WordFilterMatch[];
}

export const DEFAULT_WORD_FILTER: Readonly<WordFilterSettings> = Object.freeze({
  mode: 'mask',
  lists: Object.freeze({ en: false, id: false }),
  words: [],
});

const wordsSchema = z
  .array(z.string().trim().min(1, 'must not be empty').max(50, 'must be at most 50 characters'))
  .max(500, 'must have at most 500 words');

/**
 * The settings as the API accepts them: the object form, or the older plain list of words
 * (which means mode `mask` with no built-in list).
 */
export const wordFilterSettingsSchema = z.union([
  wordsSchema,
  z.object({
    mode: z.enum(['mask', 'hold'], 'must be "mask" or "hold"').default('mask'),
    lists: z
      .object({ en: z.boolean().default(false), id: z.boolean().default(false) })
      .default({ en: false, id: false }),
    words: wordsSchema.default([]),
  }),
]);

/**
 * Reads stored settings of either shape (today's `string[]`, or {@link WordFilterSettings});
 * anything unreadable gives the defaults (mask, no list, no word).
 */
export function normalizeWordFilterSettings(value: unknown): WordFilterSettings {
  const parsed = wordFilterSettingsSchema.safeParse(value ?? []);
  if (!parsed.success) return { ...DEFAULT_WORD_FILTER, lists: { ...DEFAULT_WORD_FILTER.lists }, words: [] };
  if (Array.isArray(parsed.data))
    return { mode: 'mask', lists: { en: false, id: false }, words: parsed.data };
  return parsed.data;
}

// --- normalisation -------------------------------------------------------------------------

/** A normalised character and the span of the original text it came from. */
interface Ch {
  c: string;
  s: number;
  e: number;
}

const confusables = resolveConfusablesTransformer();
const leet = resolveLeetSpeakTransformer();
// Invisible: formatting characters and controls other than tab and line breaks.
const INVISIBLE = /^(?:\p{Default_Ignorable_Code_Point}|(?![\t\n\r])\p{Cc})$/u;
const MARK = /^\p{M}$/u;
const LETTER = /^\p{L}$/u;
const DIGIT = /^[0-9]$/;
const SPACE = /^\s$/u;
const TAG = /<!--[\s\S]*?-->|<\/?[a-z][^<>]*>/iy;
const BREAK_TAG = /^<\/?(?:br|p|div|li|tr|td|th|h[1-6]|hr|ul|ol|table|blockquote)\b/i;
const ENTITY = /&(?:#[0-9]{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});?/iy;
// Latin letters NFKD does not take apart.
const EXTRA_FOLD: Record<string, string> = {
  ł: 'l',
  ø: 'o',
  đ: 'd',
  ħ: 'h',
  ı: 'i',
  ŧ: 't',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ð: 'd',
  ŀ: 'l',
  ƒ: 'f',
};
// Leetspeak beyond obscenity's table; '/' stays a separator ("f/u/c/k").
const EXTRA_LEET: Record<string, string> = {
  '+': 't',
  '8': 'b',
  '9': 'g',
  '€': 'e',
  '¢': 'c',
  '£': 'l',
  '¡': 'i',
};
// Leet symbols that are just as often punctuation: only letters inside a word.
const WEAK_EDGE = new Set(['!', '(', '|', '*', '¡', '+', '/']);
// Separators that may sit inside a word to break it up ("sh.it", "kon-tol"); others
// (apostrophes, commas, brackets…) always end a word, so "who're" is not "whore".
const JOINERS = new Set(['.', '-', '_', '~', '^', '=', '`', '#', '•', '·', '/', '\\', '‧', '∙', ':']);

function leetOf(c: string): string | undefined {
  if (c in EXTRA_LEET) return EXTRA_LEET[c];
  if (c === '/') return undefined;
  const cp = c.codePointAt(0)!;
  const mapped = leet.transform(cp);
  return mapped !== undefined && mapped !== cp ? String.fromCodePoint(mapped) : undefined;
}

/** Stage 1: tags out, entities decoded, invisibles and marks out, NFKD, confusables, lower case. */
function foldText(text: string): Ch[] {
  const out: Ch[] = [];
  const extendLast = (e: number) => {
    const last = out[out.length - 1];
    if (last && last.e < e) last.e = e;
  };
  const emit = (raw: string, s: number, e: number) => {
    for (const ch of raw) {
      if (INVISIBLE.test(ch)) {
        extendLast(e);
        continue;
      }
      for (const part of ch.normalize('NFKD')) {
        if (MARK.test(part) || INVISIBLE.test(part)) {
          extendLast(e);
          continue;
        }
        const cp = part.codePointAt(0)!;
        const conf = cp > 0x7f ? (confusables.transform(cp) ?? cp) : cp;
        let folded = String.fromCodePoint(conf).toLowerCase();
        folded = EXTRA_FOLD[folded] ?? folded;
        for (const f of folded.normalize('NFKD')) {
          if (MARK.test(f)) continue;
          out.push({ c: SPACE.test(f) ? (f === '\n' ? '\n' : ' ') : f, s, e });
        }
      }
    }
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '<') {
      TAG.lastIndex = i;
      const m = TAG.exec(text);
      if (m) {
        if (BREAK_TAG.test(m[0])) out.push({ c: ' ', s: i, e: i + m[0].length });
        i += m[0].length;
        continue;
      }
    } else if (c === '&') {
      ENTITY.lastIndex = i;
      const m = ENTITY.exec(text);
      if (m) {
        const decoded = decodeHTML(m[0]);
        if (decoded !== m[0]) {
          emit(decoded, i, i + m[0].length);
          i += m[0].length;
          continue;
        }
      }
    }
    const cp = text.codePointAt(i)!;
    const len = cp > 0xffff ? 2 : 1;
    emit(text.slice(i, i + len), i, i + len);
    i += len;
  }
  return out;
}

type Kind = 'letter' | 'digit' | 'leet' | 'star' | 'space' | 'joiner' | 'other';

function kindOf(c: string): Kind {
  if (LETTER.test(c)) return 'letter';
  if (c === '*') return 'star';
  if (DIGIT.test(c)) return leetOf(c) ? 'leet' : 'digit';
  if (SPACE.test(c)) return 'space';
  if (leetOf(c)) return 'leet';
  if (JOINERS.has(c)) return 'joiner';
  return 'other';
}

/** A word-like token of the folded text: letters, in-word leet symbols and hidden letters. */
interface Token {
  chars: Ch[];
  /** The folded characters between the previous token and this one. */
  gap: Ch[];
}

/** Stage 2: tokens, with leet resolved where it stands for a letter. */
function tokenize(folded: Ch[]): Token[] {
  const tokens: Token[] = [];
  let gap: Ch[] = [];
  let i = 0;
  while (i < folded.length) {
    const k = kindOf(folded[i]!.c);
    if (k === 'space' || k === 'joiner' || k === 'other') {
      gap.push(folded[i]!);
      i++;
      continue;
    }
    let j = i;
    while (j < folded.length && ['letter', 'digit', 'leet', 'star'].includes(kindOf(folded[j]!.c))) j++;
    let run = folded.slice(i, j);
    // Trim punctuation-like symbols off the edges of the run.
    let a = 0;
    let b = run.length;
    while (a < b && WEAK_EDGE.has(run[a]!.c)) a++;
    while (b > a && WEAK_EDGE.has(run[b - 1]!.c)) b--;
    const lead = run.slice(0, a);
    const trail = run.slice(b);
    run = run.slice(a, b);
    const hasLetter = run.some((ch) => LETTER.test(ch.c) || ch.c === '@' || ch.c === '$');
    if (run.length === 0) {
      gap.push(...lead, ...trail);
    } else {
      const chars = hasLetter
        ? run.map((ch) => {
            const k2 = kindOf(ch.c);
            return k2 === 'leet' ? { ...ch, c: leetOf(ch.c)! } : ch;
          })
        : run;
      tokens.push({ chars, gap: [...gap, ...lead] });
      gap = [...trail];
    }
    i = j;
  }
  return tokens;
}

/** A text to run the matchers on, with each UTF-16 unit's original span. */
interface Variant {
  text: string;
  spans: { s: number; e: number }[];
}

function build(parts: (Ch | ' ')[]): Variant {
  let text = '';
  const spans: { s: number; e: number }[] = [];
  let prev = { s: 0, e: 0 };
  for (const p of parts) {
    const ch = p === ' ' ? { c: ' ', s: prev.e, e: prev.e } : p;
    text += ch.c;
    for (let u = 0; u < ch.c.length; u++) spans.push({ s: ch.s, e: ch.e });
    if (p !== ' ') prev = p;
  }
  return { text, spans };
}

const singleLetter = (t: Token) => t.chars.length === 1 && LETTER.test(t.chars[0]!.c);
const gapHasNewline = (t: Token) => t.gap.some((g) => g.c === '\n');
const gapIsJoinersOnly = (t: Token) => t.gap.length > 0 && t.gap.every((g) => kindOf(g.c) === 'joiner');

/**
 * The readings of a text: `split` (every separator breaks a word), `joined` (in-word separators
 * and hidden-letter stars removed, runs of three or more spaced-out single letters joined) and,
 * when a word has a `*` inside, readings with a letter in its place.
 */
function readings(folded: Ch[]): Variant[] {
  const tokens = tokenize(folded);
  if (tokens.length === 0) return [];
  // split: tokens with single spaces; a '*' inside a token stays as a non-word character.
  const split: (Ch | ' ')[] = [];
  tokens.forEach((t, n) => {
    if (n > 0) split.push(' ');
    split.push(...t.chars);
  });
  // joined
  const joinWithPrev = tokens.map(() => false);
  for (let n = 1; n < tokens.length; n++) {
    if (gapIsJoinersOnly(tokens[n]!)) joinWithPrev[n] = true;
  }
  for (let n = 0; n < tokens.length;) {
    let m = n;
    while (
      m + 1 < tokens.length &&
      singleLetter(tokens[m]!) &&
      singleLetter(tokens[m + 1]!) &&
      !gapHasNewline(tokens[m + 1]!) &&
      tokens[m + 1]!.gap.length <= 4
    )
      m++;
    if (m - n + 1 >= 3) for (let q = n + 1; q <= m; q++) joinWithPrev[q] = true;
    n = m + 1;
  }
  const joinedParts: (Ch | ' ')[] = [];
  tokens.forEach((t, n) => {
    if (n > 0 && !joinWithPrev[n]) joinedParts.push(' ');
    joinedParts.push(...t.chars);
  });
  const withoutStars = joinedParts.filter((p) => p === ' ' || p.c !== '*');
  const variants = [build(split)];
  // Most messages read the same both ways: read them once.
  const joined = build(withoutStars);
  if (joined.text !== variants[0]!.text) variants.push(joined);
  // Hidden letters: a '*' between letters of one word. Only the words that have one are read
  // again (the others were read above), with each such '*' standing for a likely letter.
  const words: Ch[][] = [[]];
  for (const p of joinedParts) {
    if (p === ' ') words.push([]);
    else words[words.length - 1]!.push(p);
  }
  const starWords = words.filter((w) => {
    const inner = w.slice(1, -1);
    return inner.some((ch) => ch.c === '*') && w[0]!.c !== '*' && w[w.length - 1]!.c !== '*';
  });
  if (starWords.length > 0) {
    const starParts: (Ch | ' ')[] = [];
    starWords.forEach((w, n) => {
      if (n > 0) starParts.push(' ');
      starParts.push(...w);
    });
    const starAt = starParts.flatMap((p, idx) => (p !== ' ' && p.c === '*' ? [idx] : []));
    const letters = ['a', 'e', 'i', 'o', 'u', 's'];
    const fills: string[][] =
      starAt.length === 1
        ? letters.map((l) => [l])
        : starAt.length === 2
          ? letters.flatMap((l1) => letters.map((l2) => [l1, l2]))
          : letters.map((l) => starAt.map(() => l));
    for (const fill of fills) {
      variants.push(
        build(
          starParts.map((p, idx) => (p === ' ' || p.c !== '*' ? p : { ...p, c: fill[starAt.indexOf(idx)]! })),
        ),
      );
    }
  }
  return variants;
}

// --- lists ---------------------------------------------------------------------------------

interface Phrase {
  originalWord: string;
}

/** Collapses every run of one repeated character to one (the text side does the same). */
function collapseRuns(s: string): string {
  return s.replace(/(.)\1+/gu, '$1');
}

/**
 * The built-in Indonesian list (with Javanese and Sundanese words common in chat). Patterns are
 * written with every doubled letter collapsed, as the text is; `|` marks a word boundary, so
 * `|asu|` is "asu" alone (not "asumsi", "kasus") and `|anjing` is "anjing", "anjingnya" (not
 * "testanjing"). Whitelisted terms are clean words that contain a listed one.
 */
export const indonesianDataset = new DataSet<Phrase>()
  .addPhrase((p) =>
    p
      .setMetadata({ originalWord: 'anjing' })
      .addPattern(pattern`|anjing`)
      .addPattern(pattern`|anjeng`)
      .addPattern(pattern`|anjg|`)
      .addPattern(pattern`|ajg|`)
      .addPattern(pattern`|njing|`),
  )
  .addPhrase((p) =>
    p
      .setMetadata({ originalWord: 'bangsat' })
      .addPattern(pattern`|bangsat`)
      .addPattern(pattern`|bangsad`)
      .addPattern(pattern`|bangst|`)
      .addPattern(pattern`|bngst|`)
      .addPattern(pattern`|bgst|`)
      .addPattern(pattern`|bgsd|`),
  )
  .addPhrase((p) =>
    p
      .setMetadata({ originalWord: 'kontol' })
      .addPattern(pattern`|kontol`)
      .addPattern(pattern`|kntl|`)
      .addPattern(pattern`|kontl|`)
      .addPattern(pattern`|kntol|`),
  )
  .addPhrase((p) =>
    p
      .setMetadata({ originalWord: 'memek' })
      .addPattern(pattern`|memek`)
      .addPattern(pattern`|memk|`)
      .addPattern(pattern`|memeq`)
      .addWhitelistedTerm('memekik')
      .addWhitelistedTerm('memekak')
      .addWhitelistedTerm('memekar'),
  )
  .addPhrase((p) =>
    p
      .setMetadata({ originalWord: 'ngentot' })
      .addPattern(pattern`ngentot`)
      .addPattern(pattern`ngentod`)
      .addPattern(pattern`|entot`)
      .addPattern(pattern`|ngewe`),
  )
  .addPhrase((p) =>
    p
      .setMetadata({ originalWord: 'goblok' })
      .addPattern(pattern`|goblok`)
      .addPattern(pattern`|goblog`)
      .addPattern(pattern`|gblk|`)
      .addPattern(pattern`|goblk|`)
      .addPattern(pattern`|gblg|`),
  )
  .addPhrase((p) =>
    p
      .setMetadata({ originalWord: 'tolol' })
      .addPattern(pattern`|tolol`)
      .addPattern(pattern`|tlol|`),
  )
  .addPhrase((p) => p.setMetadata({ originalWord: 'babi' }).addPattern(pattern`|babi|`))
  .addPhrase((p) =>
    p
      .setMetadata({ originalWord: 'bajingan' })
      .addPattern(pattern`|bajingan`)
      .addPattern(pattern`|bajingn|`),
  )
  .addPhrase((p) =>
    p
      .setMetadata({ originalWord: 'keparat' })
      .addPattern(pattern`|keparat`)
      .addPattern(pattern`|keprat|`),
  )
  .addPhrase((p) =>
    p
      .setMetadata({ originalWord: 'jancuk' })
      .addPattern(pattern`|jancuk`)
      .addPattern(pattern`|jancok`)
      .addPattern(pattern`|jncuk|`)
      .addPattern(pattern`|jncok|`)
      .addPattern(pattern`|dancuk`)
      .addPattern(pattern`|dancok`)
      .addPattern(pattern`|cuk|`),
  )
  .addPhrase((p) =>
    p
      .setMetadata({ originalWord: 'asu' })
      .addPattern(pattern`|asu|`)
      .addPattern(pattern`|asw|`)
      .addPattern(pattern`|asyu|`),
  )
  .addPhrase((p) =>
    p
      .setMetadata({ originalWord: 'bego' })
      .addPattern(pattern`|bego|`)
      .addPattern(pattern`|begok|`),
  )
  .addPhrase((p) => p.setMetadata({ originalWord: 'brengsek' }).addPattern(pattern`|brengsek`))
  .addPhrase((p) => p.setMetadata({ originalWord: 'kampret' }).addPattern(pattern`|kampret`))
  .addPhrase((p) =>
    p
      .setMetadata({ originalWord: 'tai' })
      .addPattern(pattern`|tai|`)
      .addPattern(pattern`|taik|`)
      .addWhitelistedTerm('tai chi'),
  )
  .addPhrase((p) =>
    p
      .setMetadata({ originalWord: 'bacot' })
      .addPattern(pattern`|bacot`)
      .addPattern(pattern`|bacod`),
  )
  .addPhrase((p) => p.setMetadata({ originalWord: 'pepek' }).addPattern(pattern`|pepek`))
  .addPhrase((p) =>
    p
      .setMetadata({ originalWord: 'jembut' })
      .addPattern(pattern`|jembut`)
      .addPattern(pattern`|jembud`),
  )
  .addPhrase((p) =>
    p
      .setMetadata({ originalWord: 'pukimak' })
      .addPattern(pattern`pukimak`)
      .addPattern(pattern`|kimak`),
  )
  .addPhrase((p) => p.setMetadata({ originalWord: 'lonte' }).addPattern(pattern`|lonte`))
  .addPhrase((p) => p.setMetadata({ originalWord: 'perek' }).addPattern(pattern`|perek|`))
  .addPhrase((p) => p.setMetadata({ originalWord: 'pelacur' }).addPattern(pattern`|pelacur`))
  .addPhrase((p) => p.setMetadata({ originalWord: 'sundal' }).addPattern(pattern`|sundal`))
  .addPhrase((p) => p.setMetadata({ originalWord: 'jablay' }).addPattern(pattern`|jablay`))
  .addPhrase((p) => p.setMetadata({ originalWord: 'bencong' }).addPattern(pattern`|bencong`))
  .addPhrase((p) =>
    p
      .setMetadata({ originalWord: 'coli' })
      .addPattern(pattern`|coli|`)
      .addPattern(pattern`|coly|`)
      .addWhitelistedTerm('e coli'),
  )
  .addPhrase((p) => p.setMetadata({ originalWord: 'peler' }).addPattern(pattern`|peler|`))
  .addPhrase((p) => p.setMetadata({ originalWord: 'titit' }).addPattern(pattern`|titit|`))
  .addPhrase((p) => p.setMetadata({ originalWord: 'toket' }).addPattern(pattern`|toket`))
  .addPhrase((p) => p.setMetadata({ originalWord: 'bangke' }).addPattern(pattern`|bangke|`));

/**
 * The built-in English list: obscenity's English dataset with a few additions (compounds it
 * misses, "ph" spellings) and more clean words whitelisted — among them Indonesian words a
 * mixed-language chat is full of ("cuma", "cumi", "kanal", "analisis"). obscenity's "semen"
 * is left out: in Indonesian it is cement, and "sementara" means "meanwhile".
 */
export const englishWordDataset = new DataSet<Phrase>()
  .addAll(englishDataset)
  .removePhrasesIf((p) => p.metadata?.originalWord === 'semen')
  .addPhrase((p) =>
    p
      .setMetadata({ originalWord: 'ass' })
      .addPattern(pattern`jackas`)
      .addPattern(pattern`dumas[s]|`)
      .addPattern(pattern`dumbas`)
      .addPattern(pattern`smartas`)
      .addPattern(pattern`fatas[s]|`),
  )
  .addPhrase((p) =>
    p
      .setMetadata({ originalWord: 'fuck' })
      .addPattern(pattern`|phuck`)
      .addPattern(pattern`|phuk`)
      .addPattern(pattern`|fvk|`),
  )
  .addPhrase((p) => p.setMetadata({ originalWord: 'shit' }).addPattern(pattern`|shyt`))
  .addPhrase((p) => p.setMetadata({ originalWord: 'bitch' }).addPattern(pattern`|biatch`))
  .addPhrase((p) => p.setMetadata({ originalWord: 'douche' }).addPattern(pattern`|douche`))
  .addPhrase((p) =>
    p
      .setMetadata({ originalWord: '' })
      .addWhitelistedTerm('cuma')
      .addWhitelistedTerm('cumi')
      .addWhitelistedTerm('kanal')
      .addWhitelistedTerm('analis')
      .addWhitelistedTerm('shiitake')
      .addWhitelistedTerm('cockpit')
      .addWhitelistedTerm('penistone')
      .addWhitelistedTerm('dickinson')
      .addWhitelistedTerm('dickson')
      .addWhitelistedTerm('wankel')
      .addWhitelistedTerm('retardant')
      .addWhitelistedTerm('pussycat')
      .addWhitelistedTerm('pussy willow')
      .addWhitelistedTerm('cum laude'),
  );

// The English preset's thresholds ("ass", "boob", "nigger" keep their double letters); the
// text has had confusables and leetspeak resolved already, in context.
const englishBlacklistTransformers = () => [
  toAsciiLowerCaseTransformer(),
  collapseDuplicatesTransformer({
    defaultThreshold: 1,
    customThresholds: new Map([
      ['b', 2],
      ['e', 2],
      ['o', 2],
      ['l', 2],
      ['s', 2],
      ['g', 2],
    ]),
  }),
];
const singleLetterTransformers = () => [collapseDuplicatesTransformer({ defaultThreshold: 1 })];

interface CompiledList {
  matcher: RegExpMatcher;
  wordOf: (m: MatchPayload) => string;
}

function compile(dataset: DataSet<Phrase>, english: boolean): CompiledList {
  const built = dataset.build();
  return {
    matcher: new RegExpMatcher({
      ...built,
      blacklistMatcherTransformers: english ? englishBlacklistTransformers() : singleLetterTransformers(),
      whitelistMatcherTransformers: englishRecommendedWhitelistMatcherTransformers,
    }),
    wordOf: (m) => dataset.getPayloadWithPhraseMetadata(m).phraseMetadata?.originalWord ?? '',
  };
}

let englishList: CompiledList | undefined;
let indonesianList: CompiledList | undefined;
const customLists = new Map<string, CompiledList | null>();
const CUSTOM_CACHE_MAX = 200;

/** The pattern of a streamer's word, read the way text is read; null when nothing is left. */
export function customWordPattern(word: string): string | null {
  let w = word.trim();
  const prefix = w.startsWith('*');
  const suffix = w.endsWith('*');
  w = w.replace(/^\*+|\*+$/g, '');
  const tokens = tokenize(foldText(w));
  const body = tokens
    .map((t) => t.chars.map((ch) => (ch.c === '*' ? '?' : ch.c.replace(/[[\]?|\\]/g, ''))).join(''))
    .filter(Boolean)
    .join(' ');
  const collapsed = collapseRuns(body);
  if (!/[\p{L}\p{N}]/u.test(collapsed)) return null;
  return `${prefix ? '' : '|'}${collapsed}${suffix ? '' : '|'}`;
}

function customList(words: readonly string[]): CompiledList | null {
  const key = JSON.stringify(words);
  if (customLists.has(key)) return customLists.get(key)!;
  const dataset = new DataSet<Phrase>();
  for (const word of words) {
    const raw = customWordPattern(word);
    if (!raw) continue;
    dataset.addPhrase((p) => p.setMetadata({ originalWord: word.trim() }).addPattern(parseRawPattern(raw)));
  }
  const compiled = dataset.build().blacklistedTerms.length > 0 ? compile(dataset, false) : null;
  if (customLists.size >= CUSTOM_CACHE_MAX) customLists.delete(customLists.keys().next().value!);
  customLists.set(key, compiled);
  return compiled;
}

function listsFor(settings: WordFilterSettings): CompiledList[] {
  const lists: CompiledList[] = [];
  if (settings.lists.en) lists.push((englishList ??= compile(englishWordDataset, true)));
  if (settings.lists.id) lists.push((indonesianList ??= compile(indonesianDataset, false)));
  const custom = settings.words.length > 0 ? customList(settings.words) : null;
  if (custom) lists.push(custom);
  return lists;
}

// --- the check -----------------------------------------------------------------------------

/**
 * Finds the streamer's listed words in `text` and masks them. The same function serves the
 * donation path and `POST /me/word-filter/check`, so the dashboard shows exactly what a donor's
 * text would become. `settings` may be either stored shape (see
 * {@link normalizeWordFilterSettings}). The mode does not change the result: a caller in
 * `hold` mode keeps the text and holds it when `flagged`.
 */
export function checkText(text: string, settings: unknown): WordFilterResult {
  const filter = normalizeWordFilterSettings(settings);
  const lists = listsFor(filter);
  if (lists.length === 0 || text.length === 0) return { flagged: false, masked: text, matches: [] };
  const folded = foldText(text);
  const found: WordFilterMatch[] = [];
  for (const variant of readings(folded)) {
    for (const list of lists) {
      for (const m of list.matcher.getAllMatches(variant.text)) {
        const first = variant.spans[m.startIndex];
        const last = variant.spans[m.endIndex];
        if (!first || !last) continue;
        // A word pattern without an end boundary stops at the first of repeated last letters.
        let endAt = m.endIndex;
        while (variant.text[endAt + 1] !== undefined && variant.text[endAt + 1] === variant.text[endAt])
          endAt++;
        const end = variant.spans[endAt]!.e;
        found.push({ word: list.wordOf(m), start: first.s, end: Math.max(end, first.s + 1) });
      }
    }
  }
  if (found.length === 0) return { flagged: false, masked: text, matches: [] };
  // One entry per word and place (readings overlap), in text order.
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const matches: WordFilterMatch[] = [];
  for (const f of found) {
    const same = matches.find((m) => m.word === f.word && f.start < m.end && m.start < f.end);
    if (same) {
      same.start = Math.min(same.start, f.start);
      same.end = Math.max(same.end, f.end);
    } else matches.push({ ...f });
  }
  matches.sort((a, b) => a.start - b.start || a.end - b.end);
  return { flagged: true, masked: mask(text, folded, matches), matches };
}

/** Replaces each matched span with one asterisk per letter it reads as ("f u c k" → "****"). */
function mask(text: string, folded: Ch[], matches: WordFilterMatch[]): string {
  const spans = matches.map((m) => ({ start: m.start, end: m.end })).sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ ...s });
  }
  let out = '';
  let at = 0;
  for (const { start, end } of merged) {
    const letters = folded.filter(
      (ch) => ch.s >= start && ch.e <= end && !['space', 'joiner', 'other'].includes(kindOf(ch.c)),
    ).length;
    out += text.slice(at, start) + '*'.repeat(Math.max(1, letters));
    at = end;
  }
  return out + text.slice(at);
}
