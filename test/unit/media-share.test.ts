/**
 * Media-share links: every case of test/fixtures/cases/media-urls.json, then a table of the
 * forms the YouTube and TikTok sites and apps produce (share sheets, address bars, embeds,
 * mobile and music hosts, start times in the query and the fragment) and of what must be
 * refused, then short TikTok links resolved through an injected fetch.
 */
import { expect } from 'chai';
import { parseMediaShareUrl, parseStartSeconds, resolveMediaShareUrl } from '../../shared/media-share.js';
import { ValidationError } from '../../shared/errors.js';
import { loadCase, type MediaUrlCases } from '../support/fixtures.js';

const cases = loadCase<MediaUrlCases>('media-urls.json');
const ID = 'dQw4w9WgXcQ';
const TT = '7301234567890123456';

describe('media share links (test/fixtures/cases/media-urls.json)', () => {
  for (const c of cases.accept) {
    it(`accepts ${c.url}`, () => {
      const parsed = parseMediaShareUrl(c.url);
      expect(parsed).to.include({ platform: c.platform, videoId: c.video_id, startS: c.start_s });
      expect(parsed.url).to.match(/^https:\/\/www\.(youtube|tiktok)\.com\//);
    });
  }
  for (const url of cases.reject) {
    it(`refuses ${url}`, () => {
      expect(() => parseMediaShareUrl(url)).to.throw(ValidationError, /mediaUrl/);
    });
  }
});

/** [pasted text, platform, video id, start second] */
const ACCEPT: [string, 'youtube' | 'tiktok', string, number][] = [
  // YouTube: hosts, schemes and letter case
  [`youtube.com/watch?v=${ID}`, 'youtube', ID, 0],
  [`www.youtube.com/watch?v=${ID}`, 'youtube', ID, 0],
  [`http://www.youtube.com/watch?v=${ID}`, 'youtube', ID, 0],
  [`HTTPS://WWW.YOUTUBE.COM/watch?v=${ID}`, 'youtube', ID, 0],
  [`https://WwW.YouTube.com/watch?v=${ID}`, 'youtube', ID, 0],
  [`//www.youtube.com/watch?v=${ID}`, 'youtube', ID, 0],
  [`  https://m.youtube.com/watch?v=${ID}&feature=share  `, 'youtube', ID, 0],
  [`https://music.youtube.com/watch?v=${ID}&si=AbCdEf123`, 'youtube', ID, 0],
  [`https://www.youtube.com/watch?feature=player_detailpage&v=${ID}`, 'youtube', ID, 0],
  [`https://www.youtube.com/watch?app=desktop&v=${ID}&list=RD${ID}&index=3`, 'youtube', ID, 0],
  [`https://www.youtube.com/watch/?v=${ID}`, 'youtube', ID, 0],
  // youtu.be share links
  [`https://youtu.be/${ID}`, 'youtube', ID, 0],
  [`youtu.be/${ID}?si=Xy12_ab`, 'youtube', ID, 0],
  [`https://YOUTU.BE/${ID}?t=42`, 'youtube', ID, 42],
  [`https://youtu.be/${ID}?si=Xy12_ab&t=1m30s`, 'youtube', ID, 90],
  // shorts, live, embed, nocookie, old /v/
  ['https://www.youtube.com/shorts/aqz-KE-bpKQ?feature=share', 'youtube', 'aqz-KE-bpKQ', 0],
  ['https://m.youtube.com/shorts/aqz-KE-bpKQ', 'youtube', 'aqz-KE-bpKQ', 0],
  ['https://youtube.com/shorts/aqz-KE-bpKQ?si=abc', 'youtube', 'aqz-KE-bpKQ', 0],
  ['https://www.youtube.com/live/NX7p0SAbk_M?si=hMBeoc95sefBitEU', 'youtube', 'NX7p0SAbk_M', 0],
  ['https://www.youtube.com/live/NX7p0SAbk_M?t=3600', 'youtube', 'NX7p0SAbk_M', 3600],
  [`https://www.youtube.com/embed/${ID}`, 'youtube', ID, 0],
  [`https://www.youtube.com/embed/${ID}?start=30&autoplay=1`, 'youtube', ID, 30],
  [`https://www.youtube.com/embed/${ID}?list=PL590L5WQmH8fJ54F369BLDSqIwcs-TCfs`, 'youtube', ID, 0],
  [`https://www.youtube-nocookie.com/embed/${ID}?start=75`, 'youtube', ID, 75],
  [`youtube-nocookie.com/embed/${ID}`, 'youtube', ID, 0],
  [`https://www.youtube.com/v/${ID}`, 'youtube', ID, 0],
  // start times: every form, query and fragment
  [`https://www.youtube.com/watch?v=${ID}&t=90`, 'youtube', ID, 90],
  [`https://www.youtube.com/watch?v=${ID}&t=90s`, 'youtube', ID, 90],
  [`https://www.youtube.com/watch?v=${ID}&t=1m30`, 'youtube', ID, 90],
  [`https://www.youtube.com/watch?v=${ID}&t=1m30s`, 'youtube', ID, 90],
  [`https://www.youtube.com/watch?v=${ID}&t=1h2m3s`, 'youtube', ID, 3723],
  [`https://www.youtube.com/watch?v=${ID}&t=1h`, 'youtube', ID, 3600],
  [`https://www.youtube.com/watch?v=${ID}&t=2m`, 'youtube', ID, 120],
  [`https://www.youtube.com/watch?v=${ID}&t=1h30s`, 'youtube', ID, 3630],
  [`https://www.youtube.com/watch?v=${ID}&t=1M30S`, 'youtube', ID, 90],
  [`https://www.youtube.com/watch?t=4m40s&v=${ID}`, 'youtube', ID, 280],
  [`https://www.youtube.com/watch?v=${ID}&start=42`, 'youtube', ID, 42],
  [`https://www.youtube.com/watch?v=${ID}&time_continue=15`, 'youtube', ID, 15],
  [`https://www.youtube.com/watch?v=${ID}#t=191s`, 'youtube', ID, 191],
  [`https://www.youtube.com/watch?v=${ID}#t=1m30`, 'youtube', ID, 90],
  [`https://youtu.be/${ID}#t=2m5s`, 'youtube', ID, 125],
  [`https://www.youtube.com/watch?v=${ID}&t=0`, 'youtube', ID, 0],
  // TikTok: web, app share links, mobile, embeds
  [`https://www.tiktok.com/@someone/video/${TT}`, 'tiktok', TT, 0],
  [`tiktok.com/@some.one_2/video/${TT}`, 'tiktok', TT, 0],
  [`https://WWW.TIKTOK.COM/@someone/video/${TT}?is_from_webapp=1&sender_device=pc&web_id=7`, 'tiktok', TT, 0],
  [`https://www.tiktok.com/@someone/video/${TT}?_r=1&_t=8abc`, 'tiktok', TT, 0],
  [`https://m.tiktok.com/@someone/video/${TT}`, 'tiktok', TT, 0],
  [`https://m.tiktok.com/v/${TT}.html?u_code=abc&preview_pb=0`, 'tiktok', TT, 0],
  [`https://www.tiktok.com/embed/v2/${TT}`, 'tiktok', TT, 0],
  [`https://www.tiktok.com/embed/${TT}`, 'tiktok', TT, 0],
  [`https://www.tiktok.com/player/v1/${TT}?autoplay=1`, 'tiktok', TT, 0],
  [`https://www.tiktok.com/share/video/${TT}`, 'tiktok', TT, 0],
];

/** [pasted text, what the refusal says] */
const REFUSE: [string, RegExp][] = [
  // not one video
  ['https://www.youtube.com/@somechannel', /channel/],
  ['https://www.youtube.com/@somechannel/videos', /channel/],
  ['https://www.youtube.com/@somechannel/live', /channel/],
  ['https://www.youtube.com/channel/UCuAXFkgsw1L7xaCfnd5JJOw', /channel/],
  ['https://www.youtube.com/c/SomeChannel', /channel/],
  ['https://www.youtube.com/user/Supercali006', /channel/],
  ['https://www.youtube.com/somecustomname', /channel/],
  ['https://www.youtube.com/playlist?list=PL590L5WQmH8fJ54F369BLDSqIwcs-TCfs', /playlist/],
  ['https://www.youtube.com/watch?list=PL590L5WQmH8fJ54F369BLDSqIwcs-TCfs', /playlist/],
  ['https://www.youtube.com/embed/videoseries?list=PL590L5WQmH8fJ54F369BLDSqIwcs-TCfs', /playlist/],
  ['https://www.youtube.com/embed?listType=playlist&list=PL590L5WQmH8fJ54F369BLDSqIwcs-TCfs', /playlist/],
  ['https://www.youtube.com/embed/live_stream?channel=UCuAXFkgsw1L7xaCfnd5JJOw', /live stream/],
  ['https://www.youtube.com/clip/UgkxU2HSeGL_NvmDJ-nQJrlLwllwMDBdGZFs', /clip/],
  ['https://www.youtube.com/results?search_query=lofi', /one YouTube video/],
  ['https://www.youtube.com/', /one YouTube video/],
  ['https://youtu.be/', /one YouTube video/],
  [`https://youtu.be/${ID}/extra`, /one YouTube video/],
  ['https://www.youtube.com/watch?v=tooShort', /one YouTube video/],
  [`https://www.youtube.com/watch?v=${ID}x`, /one YouTube video/],
  [`https://www.youtube.com/watch?v=${ID}&t=abc`, /start time/],
  [`https://www.youtube.com/watch?v=${ID}&t=1:30`, /start time/],
  [`https://www.youtube.com/watch?v=${ID}&t=-5`, /start time/],
  [`https://www.youtube.com/watch?v=${ID}&t=999h`, /start time/],
  [`https://www.tiktok.com/@someone/photo/${TT}`, /photo/],
  ['https://www.tiktok.com/@someone', /profile/],
  ['https://www.tiktok.com/@someone/live', /live/],
  ['https://www.tiktok.com/tag/funny', /one TikTok video/],
  ['https://www.tiktok.com/@someone/video/notanumber', /one TikTok video/],
  ['https://www.tiktok.com/music/some-sound-7012345678901234567', /one TikTok video/],
  ['https://vm.tiktok.com/ZMabc123/', /short TikTok link/],
  // look-alike hosts, other schemes, credentials, ports
  [`https://youtube.com.evil.example/watch?v=${ID}`, /YouTube or TikTok/],
  [`https://evil.example/https://www.youtube.com/watch?v=${ID}`, /YouTube or TikTok/],
  [`https://www.yоutube.com/watch?v=${ID}`, /YouTube or TikTok/], // Cyrillic о
  [`https://www.youtube.co/watch?v=${ID}`, /YouTube or TikTok/],
  [`https://youtube.com./watch?v=${ID}`, /YouTube or TikTok/],
  [`https://wwwyoutube.com/watch?v=${ID}`, /YouTube or TikTok/],
  [`https://notyoutu.be/${ID}`, /YouTube or TikTok/],
  [`https://tiktok.com.evil.example/@someone/video/${TT}`, /YouTube or TikTok/],
  [`https://www.tiktok.co/@someone/video/${TT}`, /YouTube or TikTok/],
  ['javascript:alert(1)', /https/],
  [`ftp://www.youtube.com/watch?v=${ID}`, /https/],
  [`data:text/html,https://www.youtube.com/watch?v=${ID}`, /https/],
  [`https://user:pass@www.youtube.com/watch?v=${ID}`, /user name or password/],
  [`https://www.youtube.com@evil.example/watch?v=${ID}`, /user name or password/],
  [`https://www.youtube.com:443/watch?v=${ID}`, /port/],
  [`www.youtube.com:8080/watch?v=${ID}`, /port/],
  [`https://www.youtube.com/watch?v=${ID} https://evil.example`, /one link/],
  ['', /YouTube or TikTok/],
  ['not a link at all', /one link/],
];

describe('media share links (platform URL forms)', () => {
  it(`has a table of at least 40 forms (${ACCEPT.length} accepted, ${REFUSE.length} refused)`, () => {
    expect(ACCEPT.length + REFUSE.length).to.be.at.least(40);
  });
  for (const [url, platform, videoId, startS] of ACCEPT) {
    it(`accepts ${JSON.stringify(url)} as ${platform} ${videoId} from ${startS} s`, () => {
      const parsed = parseMediaShareUrl(url);
      expect(parsed).to.include({ platform, videoId, startS });
      expect(parsed.url).to.equal(
        platform === 'youtube'
          ? `https://www.youtube.com/watch?v=${videoId}${startS ? `&t=${startS}s` : ''}`
          : parsed.url.includes('/embed/v2/')
            ? `https://www.tiktok.com/embed/v2/${videoId}`
            : `https://www.tiktok.com/${/@[A-Za-z0-9._]+/.exec(url)![0]}/video/${videoId}`,
      );
    });
  }
  for (const [url, why] of REFUSE) {
    it(`refuses ${JSON.stringify(url)} (${why.source})`, () => {
      let error: unknown;
      try {
        parseMediaShareUrl(url);
      } catch (err) {
        error = err;
      }
      expect(error).to.be.instanceOf(ValidationError);
      const e = error as ValidationError;
      expect(e.details?.fields).to.have.property('mediaUrl');
      expect(e.message).to.match(why);
    });
  }
});

describe('parseStartSeconds', () => {
  const rows: [string | null, number][] = [
    [null, 0],
    ['', 0],
    ['90', 90],
    ['90s', 90],
    ['1m30', 90],
    ['1m30s', 90],
    ['1h2m3s', 3723],
    ['1h', 3600],
    ['10m', 600],
    ['2h0m5s', 7205],
  ];
  for (const [value, seconds] of rows) {
    it(`reads ${JSON.stringify(value)} as ${seconds} s`, () =>
      expect(parseStartSeconds(value)).to.equal(seconds));
  }
  for (const value of ['abc', '1:30', '1m30m', 's', 'h', '-5', '1.5']) {
    it(`cannot read ${JSON.stringify(value)}`, () => expect(parseStartSeconds(value)).to.be.NaN);
  }
});

describe('resolveMediaShareUrl (short TikTok links)', () => {
  /** A fetch that answers from a table of URL → [status, Location], recording each call. */
  function fakeFetch(routes: Record<string, [number, string?]>) {
    const calls: { url: string; redirect: RequestRedirect | undefined }[] = [];
    const impl = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const url = input instanceof Request ? input.url : input.toString();
      calls.push({ url, redirect: init?.redirect });
      const route = routes[url];
      if (!route) return Promise.reject(new TypeError(`unexpected fetch ${url}`));
      const [status, location] = route;
      return Promise.resolve(new Response(null, { status, headers: location ? { location } : {} }));
    };
    return { fetch: impl, calls };
  }

  it('follows vm.tiktok.com to the video, without following redirects blindly', async () => {
    const { fetch, calls } = fakeFetch({
      'https://vm.tiktok.com/ZMabc123/': [301, `https://www.tiktok.com/@someone/video/${TT}?_r=1&_t=8x`],
    });
    const media = await resolveMediaShareUrl('vm.tiktok.com/ZMabc123/', { fetch });
    expect(media).to.deep.equal({
      platform: 'tiktok',
      videoId: TT,
      startS: 0,
      url: `https://www.tiktok.com/@someone/video/${TT}`,
    });
    expect(calls).to.deep.equal([{ url: 'https://vm.tiktok.com/ZMabc123/', redirect: 'manual' }]);
  });

  it('follows vt.tiktok.com and tiktok.com/t/ links through several hops and relative locations', async () => {
    const { fetch, calls } = fakeFetch({
      'https://vt.tiktok.com/ZSxyz789/': [302, 'https://www.tiktok.com/t/ZSxyz789/'],
      'https://www.tiktok.com/t/ZSxyz789/': [301, `/@some.one/video/${TT}?is_from_webapp=1`],
    });
    const media = await resolveMediaShareUrl('http://vt.tiktok.com/ZSxyz789/', { fetch });
    expect(media.videoId).to.equal(TT);
    expect(media.url).to.equal(`https://www.tiktok.com/@some.one/video/${TT}`);
    expect(calls.map((c) => c.url)).to.deep.equal([
      'https://vt.tiktok.com/ZSxyz789/',
      'https://www.tiktok.com/t/ZSxyz789/',
    ]);
  });

  it('refuses a short link that leads to a photo post, saying so', async () => {
    const { fetch } = fakeFetch({
      'https://vm.tiktok.com/ZMphoto1/': [301, `https://www.tiktok.com/@someone/photo/${TT}`],
    });
    await expectRefusal(resolveMediaShareUrl('https://vm.tiktok.com/ZMphoto1/', { fetch }), /photo/);
  });

  it('never follows a short link off TikTok, and refuses it', async () => {
    const { fetch, calls } = fakeFetch({
      'https://vm.tiktok.com/ZMevil12/': [302, `https://evil.example/@someone/video/${TT}`],
    });
    await expectRefusal(
      resolveMediaShareUrl('https://vm.tiktok.com/ZMevil12/', { fetch }),
      /did not lead to a video/,
    );
    expect(calls.map((c) => c.url)).to.deep.equal(['https://vm.tiktok.com/ZMevil12/']);
  });

  it('refuses a short link that does not redirect, fails, or loops', async () => {
    const { fetch } = fakeFetch({
      'https://vm.tiktok.com/ZMnone12/': [200],
      'https://vm.tiktok.com/ZMgone12/': [404],
      'https://vm.tiktok.com/ZMloop12/': [302, 'https://vt.tiktok.com/ZMloop12/'],
      'https://vt.tiktok.com/ZMloop12/': [302, 'https://vm.tiktok.com/ZMloop12/'],
    });
    for (const link of [
      'vm.tiktok.com/ZMnone12/',
      'vm.tiktok.com/ZMgone12/',
      'vm.tiktok.com/ZMfail12/',
      'vm.tiktok.com/ZMloop12/',
    ])
      await expectRefusal(resolveMediaShareUrl(link, { fetch }), /short TikTok link/);
  });

  it('gives up after the timeout with a clear refusal', async () => {
    const hanging = ((_url: string, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new Error('aborted')));
      })) as typeof fetch;
    await expectRefusal(
      resolveMediaShareUrl('https://vm.tiktok.com/ZMslow12/', { fetch: hanging, timeoutMs: 50 }),
      /short TikTok link/,
    );
  });

  it('parses full links without any fetch', async () => {
    const { fetch, calls } = fakeFetch({});
    expect(await resolveMediaShareUrl(`https://youtu.be/${ID}?t=1m`, { fetch })).to.include({
      videoId: ID,
      startS: 60,
    });
    expect(await resolveMediaShareUrl(`https://www.tiktok.com/@someone/video/${TT}`, { fetch })).to.include({
      videoId: TT,
    });
    await expectRefusal(resolveMediaShareUrl('https://www.youtube.com/@somechannel', { fetch }), /channel/);
    expect(calls).to.deep.equal([]);
  });
});

async function expectRefusal(promise: Promise<unknown>, why: RegExp): Promise<void> {
  let error: unknown;
  try {
    await promise;
  } catch (err) {
    error = err;
  }
  expect(error).to.be.instanceOf(ValidationError);
  expect((error as ValidationError).details?.fields).to.have.property('mediaUrl');
  expect((error as ValidationError).message).to.match(why);
}
