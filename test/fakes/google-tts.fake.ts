/**
 * A local stand-in for Google Cloud Text-to-Speech's `POST /v1/text:synthesize`: checks the
 * request as Google does (API key header, `input.text`, `voice.languageCode`,
 * `audioConfig.audioEncoding`) and answers `{audioContent}` (base64 MP3 frames).
 */
import { serve, type FakeRequest, type RunningFake } from './fake-http.js';

export interface GoogleTtsFake extends RunningFake {
  /** Every well-formed synthesize request, parsed. */
  requests: { text: string; languageCode: string; speakingRate: number; apiKey: string }[];
}

/** Silent MPEG-1 Layer III frames, as Google's MP3 answer would carry (38 ≈ 1 s). */
function mp3Frames(count: number): Buffer {
  const frame = Buffer.alloc(417);
  frame.set([0xff, 0xfb, 0x90, 0x00]);
  return Buffer.concat(Array.from({ length: count }, () => frame));
}

/** Starts the fake; only `apiKey` is accepted (403 otherwise, as Google answers a bad key). */
export async function startGoogleTtsFake(apiKey: string): Promise<GoogleTtsFake> {
  const requests: GoogleTtsFake['requests'] = [];
  const fake = await serve(0, [
    [
      'POST',
      /^\/v1\/text:synthesize$/,
      (req: FakeRequest) => {
        if (req.headers['x-goog-api-key'] !== apiKey)
          return { status: 403, body: { error: { code: 403, message: 'API key not valid' } } };
        const body = JSON.parse(req.body) as {
          input?: { text?: string };
          voice?: { languageCode?: string };
          audioConfig?: { audioEncoding?: string; speakingRate?: number };
        };
        const text = body.input?.text;
        if (!text || !body.voice?.languageCode || body.audioConfig?.audioEncoding !== 'MP3')
          return { status: 400, body: { error: { code: 400, message: 'Invalid request' } } };
        requests.push({
          text,
          languageCode: body.voice.languageCode,
          speakingRate: body.audioConfig.speakingRate ?? 1,
          apiKey,
        });
        // Longer text, longer audio: ~one frame per character.
        return { status: 200, body: { audioContent: mp3Frames(10 + text.length).toString('base64') } };
      },
    ],
  ]);
  return Object.assign(fake, { requests });
}
