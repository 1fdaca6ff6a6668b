/**
 * Donor text made safe to show: what every place that shows a donor's name or message (overlay,
 * widgets, dashboard, outgoing webhooks) runs it through. It stays text — callers still render
 * it as text, never as HTML — but nothing in it can reorder or hide what is shown, and links
 * in it are not clickable.
 */
import { createRequire } from 'node:module';
import { LinkifyIt } from 'linkify-it';

// Bidi embeddings, overrides, isolates and marks (U+202A–202E, U+2066–2069, U+200E/F, U+061C)
// and every other invisible formatting character are Default_Ignorable_Code_Point.
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/u;
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/u;
const PICTOGRAPH = /\p{Extended_Pictographic}/u;
const MARK = /\p{M}/u;
// A tag, comment, doctype or processing instruction: anything a browser would parse as markup.
const MARKUP = /<!--[\s\S]*?-->|<[!?][^<>]*>|<\/?[a-z][^<>]*>/gi;
const MAX_MARKS_PER_CHARACTER = 3;

/**
 * Strips what can hide or reorder donor text: bidi controls (so "‮gnp.exe" cannot pose as
 * "exe.png"), zero-width and other invisible formatting characters, control characters, and
 * HTML markup (tags, comments), repeated until none is left so that `<<b>script>` does not
 * become `<script>`. Entities are not decoded: the result never holds more markup than the
 * input. Emoji sequences keep what draws them (the zero-width joiner between two pictographs,
 * the emoji variation selector), and combining marks are capped at three per character so
 * "Zalgo" text cannot spill over the overlay.
 */
export function sanitizeDisplayText(text: string): string {
  let out = '';
  const chars = [...text];
  let marks = 0;
  chars.forEach((ch, i) => {
    if (CONTROL.test(ch)) return;
    if (IGNORABLE.test(ch)) {
      const prev = chars[i - 1] ?? '';
      const next = chars[i + 1] ?? '';
      const keep =
        (ch === '\u200d' && PICTOGRAPH.test(prev.replace(/\ufe0f$/, '')) && PICTOGRAPH.test(next)) ||
        (ch === '\ufe0f' && PICTOGRAPH.test(prev));
      if (keep) out += ch;
      return;
    }
    if (MARK.test(ch)) {
      if (++marks > MAX_MARKS_PER_CHARACTER) return;
    } else marks = 0;
    out += ch;
  });
  for (let i = 0; i < 10; i++) {
    const next = out.replace(MARKUP, '');
    if (next === out) break;
    out = next;
  }
  // A '<' left that could still open a tag (an unclosed one) becomes a look-alike.
  return out.replace(/<(?=[a-z!?/])/gi, '‹');
}

const tlds = createRequire(import.meta.url)('tlds') as string[];
const linkify = new LinkifyIt({ fuzzyLink: true, fuzzyEmail: true, fuzzyIP: true }).tlds(tlds, true);

/**
 * Makes links in a message unclickable and unmistakably not links: every dot of a host becomes
 * "[.]" and http(s) schemes become "hxxp(s)" ("example.com" → "example[.]com",
 * "https://x.io/a" → "hxxps://x[.]io/a"). Hosts are recognised with linkify-it against the full
 * list of top-level domains, so "judi.online" is caught and "e.g." or "v1.2" are not.
 */
export function defangLinks(text: string): string {
  const found = linkify.match(text);
  if (!found) return text;
  let out = '';
  let at = 0;
  for (const link of found) {
    out += text.slice(at, link.index) + defangOne(link.raw);
    at = link.lastIndex;
  }
  return out + text.slice(at);
}

function defangOne(raw: string): string {
  const scheme = /^([a-z][a-z0-9+.-]*:)?(\/\/)?/i.exec(raw)![0];
  const rest = raw.slice(scheme.length);
  const hostEnd = rest.search(/[/?#]/);
  const host = hostEnd === -1 ? rest : rest.slice(0, hostEnd);
  const tail = hostEnd === -1 ? '' : rest.slice(hostEnd);
  return scheme.replace(/^http/i, 'hxxp') + host.replace(/\./g, '[.]') + tail;
}
