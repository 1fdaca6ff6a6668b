/**
 * Alert designs a streamer makes their own (issue 14): an image or GIF, a sound with its volume,
 * the alert text as a template with placeholders, layout, font, colours, animation and
 * duration; tiers that switch to another design from an amount (per currency); a delay between
 * paid and shown; and a minimum amount to show the message or read it aloud.
 *
 * Kept in the streamer's settings (`settings.alerts`); the overlay receives the resolved designs
 * and builds the alert from text nodes only, so a template or a donor's name never becomes markup.
 */
import { z } from 'zod';

/** Placeholders a template may use. */
export const TEMPLATE_PLACEHOLDERS = ['name', 'amount', 'message', 'media'] as const;
export type TemplatePlaceholder = (typeof TEMPLATE_PLACEHOLDERS)[number];

/** Fonts the overlay ships as CSS stacks (no web font is fetched from elsewhere). */
export const ALERT_FONTS = ['system', 'rounded', 'serif', 'mono', 'condensed'] as const;
export const ALERT_LAYOUTS = ['above', 'beside', 'behind'] as const;
export const ANIMATIONS_IN = ['fade', 'slide-up', 'zoom', 'bounce', 'none'] as const;
export const ANIMATIONS_OUT = ['fade', 'slide-down', 'zoom', 'none'] as const;

const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #ff8800');
const currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as "IDR"');
const minorAmount = z.number().int('must be whole minor units').min(0).max(1e12);

/**
 * The template: at most 200 characters, placeholders written `{name}`; an unknown placeholder is
 * refused by name (a typo would otherwise show on stream).
 */
export const alertTemplateSchema = z
  .string()
  .max(200, 'must be at most 200 characters')
  .superRefine((v, ctx) => {
    for (const m of v.matchAll(/\{([^{}]*)\}/g))
      if (!(TEMPLATE_PLACEHOLDERS as readonly string[]).includes(m[1]!))
        ctx.addIssue({
          code: 'custom',
          message: `has an unknown placeholder {${m[1]}}: use ${TEMPLATE_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`,
        });
  });

/** One design; every field has a default, so `{}` is the plain default alert. */
export const alertDesignSchema = z.strictObject({
  /** An upload of kind image (PNG, JPEG, GIF, WebP) of this streamer, or null for none. */
  imageUploadId: z.uuid('must be the id of one of your uploaded images').nullable().default(null),
  /** An upload of kind sound, or null for the built-in chime. */
  soundUploadId: z.uuid('must be the id of one of your uploaded sounds').nullable().default(null),
  /** Volume of the sound and of text-to-speech, 0–100. */
  volume: z.number().int().min(0, 'must be 0 to 100').max(100, 'must be 0 to 100').default(80),
  template: alertTemplateSchema.default('{name} — {amount}'),
  layout: z.enum(ALERT_LAYOUTS, `must be one of ${ALERT_LAYOUTS.join(', ')}`).default('above'),
  font: z.enum(ALERT_FONTS, `must be one of ${ALERT_FONTS.join(', ')}`).default('system'),
  textColor: colour.default('#ffffff'),
  accentColor: colour.default('#ffcc00'),
  /** Background of the text box, or null for none (over the stream). */
  backgroundColor: colour.nullable().default(null),
  animationIn: z.enum(ANIMATIONS_IN, `must be one of ${ANIMATIONS_IN.join(', ')}`).default('fade'),
  animationOut: z.enum(ANIMATIONS_OUT, `must be one of ${ANIMATIONS_OUT.join(', ')}`).default('fade'),
  /** How long the alert stays, ms. */
  durationMs: z
    .number()
    .int()
    .min(2000, 'must be at least 2000')
    .max(60_000, 'must be at most 60000')
    .default(8000),
});
export type AlertDesign = z.output<typeof alertDesignSchema>;

/** A tier: from `minByCurrency[currency]` (minor units) on, donations in that currency get `design`. */
export const alertTierSchema = z.strictObject({
  minByCurrency: z
    .record(currency, minorAmount)
    .refine((v) => Object.keys(v).length > 0, 'needs at least one currency'),
  design: alertDesignSchema,
});
export type AlertTier = z.output<typeof alertTierSchema>;

/** `settings.alerts` as PATCH /me/settings `alerts` takes it (the whole object is replaced). */
export const alertSettingsSchema = z.strictObject({
  base: alertDesignSchema.default(alertDesignSchema.parse({})),
  tiers: z.array(alertTierSchema).max(5, 'at most 5 tiers').default([]),
  /** Seconds between paid and shown (a stream delay, or time to react). */
  delayS: z.number().int().min(0, 'must be 0 to 120').max(120, 'must be 0 to 120').default(0),
  /** Below these amounts (minor units per currency) the message is neither shown nor read aloud. */
  messageMinByCurrency: z.record(currency, minorAmount).default({}),
});
export type AlertSettings = z.output<typeof alertSettingsSchema>;

/** Stored settings of any age: missing or unreadable → the defaults. */
export function normalizeAlertSettings(value: unknown): AlertSettings {
  const parsed = alertSettingsSchema.safeParse(value ?? {});
  return parsed.success ? parsed.data : alertSettingsSchema.parse({});
}

/**
 * The design for a donation of `amountMinor` in `currencyCode`: the tier with the highest minimum
 * in that currency that the amount reaches, else the base design. Tiers without that currency do
 * not apply to it.
 */
export function designFor(settings: AlertSettings, amountMinor: number, currencyCode: string): AlertDesign {
  let best: { min: number; design: AlertDesign } | null = null;
  for (const tier of settings.tiers) {
    const min = tier.minByCurrency[currencyCode];
    if (min === undefined || amountMinor < min) continue;
    if (!best || min >= best.min) best = { min, design: tier.design };
  }
  return best?.design ?? settings.base;
}

/** Whether a donation's message is shown and read aloud under `messageMinByCurrency`. */
export function showsMessage(settings: AlertSettings, amountMinor: number, currencyCode: string): boolean {
  return amountMinor >= (settings.messageMinByCurrency[currencyCode] ?? 0);
}

/**
 * The template filled in, as plain text (the caller puts it in a text node): each placeholder
 * replaced by its value ('' when absent), nothing else interpreted.
 */
export function renderTemplate(
  template: string,
  values: Partial<Record<TemplatePlaceholder, string>>,
): string {
  return template.replace(
    /\{(name|amount|message|media)\}/g,
    (_, key: TemplatePlaceholder) => values[key] ?? '',
  );
}

/** Upload ids a settings value refers to, by kind (to check they are the streamer's own). */
export function referencedUploads(settings: AlertSettings): { image: string[]; sound: string[] } {
  const designs = [settings.base, ...settings.tiers.map((t) => t.design)];
  return {
    image: [...new Set(designs.map((d) => d.imageUploadId).filter((v): v is string => !!v))],
    sound: [...new Set(designs.map((d) => d.soundUploadId).filter((v): v is string => !!v))],
  };
}
