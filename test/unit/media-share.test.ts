import { expect } from 'chai';
import { maskWords, parseMediaShareUrl } from '../../shared/media-share.js';
import { ValidationError } from '../../shared/errors.js';
import { loadCase, type MediaUrlCases } from '../support/fixtures.js';

const cases = loadCase<MediaUrlCases>('media-urls.json');

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

describe('word filter', () => {
  it('masks filtered words case-insensitively, keeping length', () => {
    expect(maskWords('Dasar BODOH kau', ['bodoh'])).to.equal('Dasar ***** kau');
    expect(maskWords('a.b a+b', ['a.b'])).to.equal('*** a+b');
    expect(maskWords('nothing here', [])).to.equal('nothing here');
  });
});
