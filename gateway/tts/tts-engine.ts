/**
 * Text-to-speech made on the server, so the overlay plays it as audio: OBS's browser source
 * often has no speechSynthesis voices. Two engines behind one interface:
 * - espeak-ng from the OS packages (`apt-get install espeak-ng`), built in: WAV, Indonesian and
 *   English voices; the text goes through stdin, never the command line.
 * - Google Cloud Text-to-Speech when GOOGLE_TTS_API_KEY is set: `POST {base}/v1/text:synthesize`
 *   with `{input: {text}, voice: {languageCode}, audioConfig: {audioEncoding: 'MP3',
 *   speakingRate}}`, answering `{audioContent: base64}` (cloud.google.com/text-to-speech/docs/
 *   reference/rest/v1/text/synthesize).
 */
import { spawn } from 'node:child_process';
import { ProviderUnavailableError } from '../../shared/errors.js';

/** How a streamer's alerts are spoken. */
export interface TtsVoice {
  /** Language of the voice: Indonesian or English. */
  language: 'id' | 'en';
  /** Speaking rate, words per minute (espeak-ng's scale; 175 is normal). */
  rate: number;
  /** `m` or `f`: the voice variant. */
  gender: 'm' | 'f';
}

/** Audio made from text. */
export interface TtsAudio {
  mime: 'audio/wav' | 'audio/mpeg';
  bytes: Buffer;
}

export interface TtsEngine {
  readonly name: string;
  /**
   * Speaks `text` (already filtered and capped by the caller).
   * @throws {ProviderUnavailableError} when the engine is missing, fails or times out.
   */
  synthesize(text: string, voice: TtsVoice): Promise<TtsAudio>;
}

/** Largest audio an engine may return, bytes (a few minutes of 22 kHz speech). */
const MAX_AUDIO_BYTES = 8 * 1024 * 1024;

/**
 * espeak-ng writes WAV to stdout with the RIFF and data sizes unknown (0x7fffffff-ish); the
 * sizes are set to what was written so every player reads the length.
 */
export function fixStreamedWavSizes(wav: Buffer): Buffer {
  if (wav.length < 44 || wav.toString('latin1', 0, 4) !== 'RIFF') return wav;
  const out = Buffer.from(wav);
  out.writeUInt32LE(out.length - 8, 4);
  // Chunks after "WAVE": find "data" and set its size to the bytes that follow it.
  let at = 12;
  while (at + 8 <= out.length) {
    const id = out.toString('latin1', at, at + 4);
    if (id === 'data') {
      out.writeUInt32LE(out.length - at - 8, at + 4);
      break;
    }
    at += 8 + out.readUInt32LE(at + 4);
  }
  return out;
}

/** espeak-ng, spawned per text with a timeout. */
export class EspeakEngine implements TtsEngine {
  readonly name = 'espeak-ng';
  constructor(
    private readonly command = 'espeak-ng',
    private readonly timeoutMs = 10_000,
  ) {}

  synthesize(text: string, voice: TtsVoice): Promise<TtsAudio> {
    const args = ['-v', `${voice.language}+${voice.gender}3`, '-s', String(voice.rate), '--stdout'];
    return new Promise((resolve, reject) => {
      const child = spawn(this.command, args, { stdio: ['pipe', 'pipe', 'ignore'], timeout: this.timeoutMs });
      const chunks: Buffer[] = [];
      let size = 0;
      child.stdout.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_AUDIO_BYTES) child.kill('SIGKILL');
        else chunks.push(chunk);
      });
      child.on('error', (err: NodeJS.ErrnoException) =>
        reject(
          new ProviderUnavailableError(
            err.code === 'ENOENT'
              ? 'Text-to-speech needs espeak-ng on the server: apt-get install espeak-ng'
              : `espeak-ng failed: ${err.message}`,
          ),
        ),
      );
      child.on('close', (code, signal) => {
        if (code === 0 && size <= MAX_AUDIO_BYTES)
          resolve({ mime: 'audio/wav', bytes: fixStreamedWavSizes(Buffer.concat(chunks)) });
        else reject(new ProviderUnavailableError(`espeak-ng stopped (${signal ?? `exit ${code}`})`));
      });
      child.stdin.on('error', () => undefined); // an early exit is reported by 'close'
      child.stdin.end(text);
    });
  }
}

/** Google Cloud Text-to-Speech over its REST API with an API key. */
export class GoogleTtsEngine implements TtsEngine {
  readonly name = 'google';
  constructor(
    private readonly apiKey: string,
    private readonly baseUrl = 'https://texttospeech.googleapis.com',
    private readonly timeoutMs = 10_000,
  ) {}

  async synthesize(text: string, voice: TtsVoice): Promise<TtsAudio> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}/v1/text:synthesize`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-goog-api-key': this.apiKey },
        body: JSON.stringify({
          input: { text },
          voice: {
            languageCode: voice.language === 'id' ? 'id-ID' : 'en-US',
            ssmlGender: voice.gender === 'f' ? 'FEMALE' : 'MALE',
          },
          // speakingRate: 1.0 is normal; espeak's 175 wpm is the same pace.
          audioConfig: { audioEncoding: 'MP3', speakingRate: Math.min(4, Math.max(0.25, voice.rate / 175)) },
        }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new ProviderUnavailableError(`Google Text-to-Speech unreachable: ${(err as Error).message}`);
    }
    if (!res.ok) throw new ProviderUnavailableError(`Google Text-to-Speech answered ${res.status}`);
    const body = (await res.json()) as { audioContent?: unknown };
    if (typeof body.audioContent !== 'string' || !body.audioContent)
      throw new ProviderUnavailableError('Google Text-to-Speech answered without audio');
    const bytes = Buffer.from(body.audioContent, 'base64');
    if (bytes.length > MAX_AUDIO_BYTES)
      throw new ProviderUnavailableError('Google Text-to-Speech audio too long');
    return { mime: 'audio/mpeg', bytes };
  }
}

/** The engine an install uses: Google's when its key is set, else espeak-ng. */
export function createTtsEngine(config: {
  GOOGLE_TTS_API_KEY: string;
  GOOGLE_TTS_URL: string;
  ESPEAK_PATH: string;
}): TtsEngine {
  return config.GOOGLE_TTS_API_KEY
    ? new GoogleTtsEngine(config.GOOGLE_TTS_API_KEY, config.GOOGLE_TTS_URL)
    : new EspeakEngine(config.ESPEAK_PATH);
}
