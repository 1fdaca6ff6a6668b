/**
 * Rules for text people type that others will see (donor names, messages, display names):
 * well-formed Unicode, no control characters (PostgreSQL cannot store NUL; the others hide or
 * reorder text), and names with something visible in them. The text is otherwise kept exactly
 * as typed: the overlay renders it as text, never as HTML.
 */
import { z } from 'zod';

// C0 controls except tab and newline, DEL, C1 controls.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/u;
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
    .refine((v) => VISIBLE.test(v), 'must contain a visible character');
}

/** Free text up to `max` characters (newlines allowed, no other control characters). */
export function messageText(max: number) {
  return z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine(isCleanText, 'must not contain control characters or broken Unicode');
}
