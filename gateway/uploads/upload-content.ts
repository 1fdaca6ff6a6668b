/**
 * What an uploaded file really is, read from its bytes and never from its name or the type the
 * browser claims: the signature (magic bytes, through `file-type`), then a decode of the header
 * (`image-size` for images, `music-metadata` for sounds) and, for images, the format's own end
 * marker, so a truncated file is refused too. Alert designs take images (PNG, JPEG, GIF, WebP,
 * ≤ 5 MB) and sounds (MP3, OGG, WAV, ≤ 2 MB).
 */
import { PayloadTooLargeError, ValidationError } from '../../shared/errors.js';

/** What an upload is for. */
export type UploadKind = 'image' | 'sound';
export const UPLOAD_KINDS = ['image', 'sound'] as const;

/** Largest upload per kind, bytes. */
export const UPLOAD_LIMITS: Record<UploadKind, number> = { image: 5 * 1024 * 1024, sound: 2 * 1024 * 1024 };

/** Accepted types per kind: MIME type → file extension served. */
const ACCEPTED: Record<UploadKind, Record<string, string>> = {
  image: { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp' },
  sound: { 'audio/mpeg': 'mp3', 'audio/ogg': 'ogg', 'audio/opus': 'ogg', 'audio/wav': 'wav' },
};

/** What the bytes turned out to be. */
export interface UploadContent {
  kind: UploadKind;
  /** The type served (`Content-Type`), e.g. `image/gif`; Ogg Opus is served as `audio/ogg`. */
  mime: string;
  ext: string;
  size: number;
  /** Pixels, images only. */
  width?: number;
  height?: number;
  /** Seconds, sounds only, when the header tells. */
  durationS?: number;
}

type Language = 'en' | 'id';
type Refusal = 'empty' | 'too_big' | 'not_kind' | 'unreadable' | 'truncated';

const MESSAGES: Record<Language, Record<Refusal, (p: { kind: UploadKind; limit: string }) => string>> = {
  en: {
    empty: () => 'The file is empty',
    too_big: ({ kind, limit }) => `${kind === 'image' ? 'An image' : 'A sound'} can be at most ${limit}`,
    not_kind: ({ kind }) =>
      kind === 'image'
        ? 'This file is not a PNG, JPEG, GIF or WebP image (its content was checked, not its name)'
        : 'This file is not an MP3, OGG or WAV sound (its content was checked, not its name)',
    unreadable: ({ kind }) => `This ${kind} cannot be read: it is damaged`,
    truncated: ({ kind }) => `This ${kind} is incomplete: the file was cut off`,
  },
  id: {
    empty: () => 'Berkasnya kosong',
    too_big: ({ kind, limit }) => `${kind === 'image' ? 'Gambar' : 'Suara'} maksimal ${limit}`,
    not_kind: ({ kind }) =>
      kind === 'image'
        ? 'Berkas ini bukan gambar PNG, JPEG, GIF, atau WebP (yang diperiksa isinya, bukan namanya)'
        : 'Berkas ini bukan suara MP3, OGG, atau WAV (yang diperiksa isinya, bukan namanya)',
    unreadable: ({ kind }) =>
      `${kind === 'image' ? 'Gambar' : 'Suara'} ini tidak bisa dibaca: berkasnya rusak`,
    truncated: ({ kind }) =>
      `${kind === 'image' ? 'Gambar' : 'Suara'} ini tidak lengkap: berkasnya terpotong`,
  },
};

/**
 * The refusal of an upload as an error naming the `file` field, in the reader's language.
 * `too_big` is a 413, the rest 400.
 */
export function uploadRefusal(
  refusal: Refusal,
  kind: UploadKind,
  language: Language,
): ValidationError | PayloadTooLargeError {
  const message = MESSAGES[language][refusal]({ kind, limit: `${UPLOAD_LIMITS[kind] / 1024 / 1024} MB` });
  if (refusal === 'too_big') return new PayloadTooLargeError(message, { fields: { file: message } });
  return new ValidationError(message, { fields: { file: message }, reason: refusal });
}

/**
 * Whether an image's bytes run to the format's end: PNG's IEND chunk, JPEG's EOI marker (FF D9,
 * allowing trailing padding), GIF's trailer (0x3B), WebP's RIFF length (RIFF spec: the size field
 * counts the bytes after it).
 */
function imageIsComplete(mime: string, bytes: Buffer): boolean {
  switch (mime) {
    case 'image/png':
      return (
        bytes.length >= 12 && bytes.subarray(bytes.length - 8, bytes.length - 4).toString('latin1') === 'IEND'
      );
    case 'image/jpeg': {
      const tail = bytes.subarray(Math.max(0, bytes.length - 64));
      return tail.includes(Buffer.from([0xff, 0xd9]));
    }
    case 'image/gif':
      return bytes[bytes.length - 1] === 0x3b;
    case 'image/webp':
      return bytes.length >= 12 && bytes.readUInt32LE(4) + 8 <= bytes.length;
    default:
      return false;
  }
}

/**
 * Reads what `bytes` are, for an upload of `kind`.
 * @throws {ValidationError} (400, field `file`) when empty, not an accepted type of that kind,
 *   unreadable or cut off; {PayloadTooLargeError} (413) when over {@link UPLOAD_LIMITS}.
 */
export async function inspectUpload(
  kind: UploadKind,
  bytes: Buffer,
  language: Language = 'en',
): Promise<UploadContent> {
  const refuse = (refusal: Refusal) => uploadRefusal(refusal, kind, language);
  if (!bytes.length) throw refuse('empty');
  if (bytes.length > UPLOAD_LIMITS[kind]) throw refuse('too_big');
  // Loaded on the first upload, not by every gateway at start (~10 MiB together).
  const { fileTypeFromBuffer } = await import('file-type');
  const type = await fileTypeFromBuffer(bytes);
  const ext = type && ACCEPTED[kind][type.mime];
  if (!type || !ext) throw refuse('not_kind');
  const mime = type.mime === 'audio/opus' ? 'audio/ogg' : type.mime;
  if (kind === 'image') {
    const { imageSize } = await import('image-size');
    let size;
    try {
      size = imageSize(bytes);
    } catch {
      throw refuse('unreadable');
    }
    if (!size.width || !size.height) throw refuse('unreadable');
    if (!imageIsComplete(mime, bytes)) throw refuse('truncated');
    return { kind, mime, ext, size: bytes.length, width: size.width, height: size.height };
  }
  const { parseBuffer } = await import('music-metadata');
  let durationS: number | undefined;
  try {
    // The parser is chosen by the extension of the type read above (not by a MIME lookup).
    const meta = await parseBuffer(bytes, { path: `upload.${ext}`, size: bytes.length }, { duration: true });
    durationS = meta.format.duration;
    if (mime === 'audio/wav' && bytes.readUInt32LE(4) + 8 > bytes.length) throw refuse('truncated');
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    throw refuse('unreadable');
  }
  if (durationS !== undefined && !(durationS > 0)) throw refuse('unreadable');
  return { kind, mime, ext, size: bytes.length, ...(durationS ? { durationS } : {}) };
}
