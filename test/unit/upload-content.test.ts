/**
 * Upload checks (issue 14): what a file is comes from its bytes — valid images and sounds are
 * read with their size or duration; a renamed executable, HTML posing as a GIF, other formats,
 * truncated and oversized files are refused with a message naming the file, in en and id.
 */
import { expect } from 'chai';
import { inspectUpload, UPLOAD_LIMITS, type UploadKind } from '../../gateway/uploads/upload-content.js';
import { PayloadTooLargeError, ValidationError } from '../../shared/errors.js';
import { gif, jpg, mp3, png, wav } from '../support/media-files.js';

async function refusal(kind: UploadKind, bytes: Buffer, language: 'en' | 'id' = 'en') {
  try {
    await inspectUpload(kind, bytes, language);
  } catch (err) {
    return err as ValidationError | PayloadTooLargeError;
  }
  throw new Error('expected a refusal');
}

describe('upload content checks', () => {
  it('reads valid images with their pixel size and valid sounds with their duration', async () => {
    expect(await inspectUpload('image', png(4, 3))).to.include({
      mime: 'image/png',
      ext: 'png',
      width: 4,
      height: 3,
    });
    expect(await inspectUpload('image', gif())).to.include({
      mime: 'image/gif',
      ext: 'gif',
      width: 1,
      height: 1,
    });
    expect(await inspectUpload('image', jpg(8, 6))).to.include({
      mime: 'image/jpeg',
      ext: 'jpg',
      width: 8,
      height: 6,
    });
    const sound = await inspectUpload('sound', wav(0.5));
    expect(sound).to.include({ mime: 'audio/wav', ext: 'wav' });
    expect(sound.durationS).to.be.closeTo(0.5, 0.01);
    const music = await inspectUpload('sound', mp3(38));
    expect(music).to.include({ mime: 'audio/mpeg', ext: 'mp3' });
    expect(music.durationS).to.be.closeTo(0.99, 0.05);
  });

  const hostile: [string, UploadKind, () => Buffer, string][] = [
    [
      'a renamed executable (ELF)',
      'image',
      () => Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(120, 1)]),
      'not_kind',
    ],
    [
      'a Windows executable (MZ)',
      'sound',
      () => Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(300, 0)]),
      'not_kind',
    ],
    [
      'an HTML page named .gif',
      'image',
      () => Buffer.from('<html><body><script>alert(document.cookie)</script></body></html>'),
      'not_kind',
    ],
    [
      'an SVG (scripts can live in it)',
      'image',
      () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>'),
      'not_kind',
    ],
    ['an image sent as a sound', 'sound', () => png(), 'not_kind'],
    ['a sound sent as an image', 'image', () => wav(), 'not_kind'],
    ['a truncated PNG', 'image', () => png(32, 32).subarray(0, 60), 'truncated'],
    ['a truncated GIF', 'image', () => gif().subarray(0, gif().length - 1), 'truncated'],
    ['a truncated JPEG', 'image', () => jpg(32, 32).subarray(0, 200), 'truncated'],
    ['a truncated WAV', 'sound', () => wav(1).subarray(0, 2000), 'truncated'],
    ['a PNG cut inside its header', 'image', () => png().subarray(0, 20), 'truncated'],
    [
      'a GIF header claiming 0×0 pixels',
      'image',
      () => Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.alloc(7), Buffer.from([0x3b])]),
      'unreadable',
    ],
    ['an empty file', 'image', () => Buffer.alloc(0), 'empty'],
  ];
  for (const [name, kind, bytes, reason] of hostile)
    it(`refuses ${name} (${reason}), naming the file field`, async () => {
      const err = await refusal(kind, bytes());
      expect(err).to.be.instanceOf(ValidationError);
      expect(err.details?.reason).to.equal(reason);
      expect((err.details?.fields as Record<string, string>).file).to.equal(err.message);
    });

  it('refuses files over the limit of their kind with 413, in the reader language', async () => {
    const big = png(1400, 1400, true);
    expect(big.length).to.be.greaterThan(UPLOAD_LIMITS.image);
    const en = await refusal('image', big);
    expect(en).to.be.instanceOf(PayloadTooLargeError);
    expect(en.message).to.equal('An image can be at most 5 MB');
    const id = await refusal('sound', Buffer.concat([mp3(), Buffer.alloc(UPLOAD_LIMITS.sound)]), 'id');
    expect(id.message).to.equal('Suara maksimal 2 MB');
    expect((id.details?.fields as Record<string, string>).file).to.equal('Suara maksimal 2 MB');
  });

  it('words refusals in Indonesian for an Indonesian reader', async () => {
    const err = await refusal('image', Buffer.from('<html></html>'), 'id');
    expect(err.message).to.equal(
      'Berkas ini bukan gambar PNG, JPEG, GIF, atau WebP (yang diperiksa isinya, bukan namanya)',
    );
  });
});
