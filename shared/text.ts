/**
 * Rules for text people type that others will see (donor names, messages, display names):
 * well-formed Unicode, no control characters (PostgreSQL cannot store NUL; the others hide or
 * reorder text), no bidirectional overrides, and names with something visible in them. The text is otherwise kept exactly
 * as typed: the overlay renders it as text, never as HTML.
 */
import { z } from 'zod';

// C0 controls except tab and newline, DEL, C1 controls.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/u;
// Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they reorder
// the text around them on screen (a name that reads backwards, a message that hides a part;
// CVE-2021-42574 "Trojan Source"). The marks LRM/RLM/ALM stay: they affect one position only.
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/u;
const NO_BIDI = 'must not contain bidirectional override characters (U+202A–U+202E, U+2066–U+2069)';
// Letters, marks, numbers, punctuation or symbols: something a viewer can see.
const VISIBLE = /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u;

/** True when the string is well-formed UTF-16 and has no control characters. */
export function isCleanText(text: string): boolean {
  return text.isWellFormed() && !CONTROL.test(text);
}

/** A one-line name (1–max characters, trimmed, with something visible). */
export function nameText(max: number) {
  return z
    .string({ error: 'is required' })
    .trim()
    .min(1, 'is required')
    .max(max, `must be at most ${max} characters`)
    .refine((v) => isCleanText(v) && !/[\n\t]/.test(v), 'must not contain control characters')
    .refine((v) => !BIDI_CONTROL.test(v), NO_BIDI)
    .refine((v) => VISIBLE.test(v), 'must contain a visible character');
}

/** Free text up to `max` characters (newlines allowed, no other control characters). */
export function messageText(max: number) {
  return z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine(isCleanText, 'must not contain control characters or broken Unicode')
    .refine((v) => !BIDI_CONTROL.test(v), NO_BIDI);
}
