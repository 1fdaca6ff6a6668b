/**
 * The built-in espeak-ng engine (issue 14): Indonesian and English speech as WAV whose header
 * carries its real length, longer text gives longer audio, text is never read as options, and a
 * missing program is a clear error naming the package. CI installs espeak-ng (.ci/run).
 */
import { expect } from 'chai';
import { parseBuffer } from 'music-metadata';
import { EspeakEngine, fixStreamedWavSizes } from '../../gateway/tts/tts-engine.js';
import { speechText } from '../../gateway/tts/tts.routes.js';
import { ProviderUnavailableError } from '../../shared/errors.js';

const duration = async (wav: Buffer) =>
  (await parseBuffer(wav, { path: 'speech.wav', size: wav.length }, { duration: true })).format.duration ?? 0;

describe('text-to-speech: espeak-ng engine', () => {
  const engine = new EspeakEngine();

  it('speaks Indonesian and English as WAV with its true length in the header', async () => {
    for (const language of ['id', 'en'] as const) {
      const audio = await engine.synthesize('Budi memberi lima puluh ribu rupiah', {
        language,
        rate: 175,
        gender: 'f',
      });
      expect(audio.mime).to.equal('audio/wav');
      expect(audio.bytes.toString('latin1', 0, 4)).to.equal('RIFF');
      expect(audio.bytes.readUInt32LE(4)).to.equal(audio.bytes.length - 8);
      expect(await duration(audio.bytes)).to.be.greaterThan(1);
    }
  });

  it('gives longer audio for longer text and for a slower rate', async () => {
    const voice = { language: 'id' as const, rate: 175, gender: 'm' as const };
    const short = await duration((await engine.synthesize('halo', voice)).bytes);
    const long = await duration(
      (await engine.synthesize('halo semuanya, terima kasih banyak ya', voice)).bytes,
    );
    const slow = await duration((await engine.synthesize('halo', { ...voice, rate: 80 })).bytes);
    expect(long).to.be.greaterThan(short);
    expect(slow).to.be.greaterThan(short);
  });

  it('reads text that looks like options as text', async () => {
    const audio = await engine.synthesize('--help -w /tmp/x.wav', { language: 'en', rate: 175, gender: 'f' });
    expect(await duration(audio.bytes)).to.be.greaterThan(0.5);
  });

  it('names the package when espeak-ng is missing', async () => {
    const missing = new EspeakEngine('/nonexistent/espeak-ng');
    const err = await missing
      .synthesize('x', { language: 'en', rate: 175, gender: 'f' })
      .catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ProviderUnavailableError);
    expect((err as Error).message).to.contain('apt-get install espeak-ng');
  });

  it('sets streamed WAV sizes to the bytes written', () => {
    const streamed = Buffer.alloc(54);
    streamed.write('RIFF', 0, 'latin1');
    streamed.writeUInt32LE(0x7ffff024, 4);
    streamed.write('WAVEfmt ', 8, 'latin1');
    streamed.writeUInt32LE(16, 16);
    streamed.write('data', 36, 'latin1');
    streamed.writeUInt32LE(0x7ffff000, 40);
    const fixed = fixStreamedWavSizes(streamed);
    expect(fixed.readUInt32LE(4)).to.equal(46);
    expect(fixed.readUInt32LE(40)).to.equal(10);
  });

  it('leaves links and markup out of speech and cuts at a word boundary', () => {
    expect(speechText('Halo <b>bang</b> cek www.judi.example/x dan https://a.b/c ya', 200)).to.equal(
      'Halo bang cek dan ya',
    );
    // Links as the donation path stores them, defanged, are left out too.
    expect(speechText('cek hxxps://judi[.]online/daftar dan judi[.]online ya', 200)).to.equal('cek dan ya');
    expect(speechText('satu dua tiga empat lima enam', 16)).to.equal('satu dua tiga');
  });
});
