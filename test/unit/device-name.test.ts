import { expect } from 'chai';
import { deviceName } from '../../web/src/device-name.js';

describe('deviceName (Account › sessions)', () => {
  const cases: [string, { browser: string; os: string } | null][] = [
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      { browser: 'Chrome 131', os: 'Windows 10' },
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      { browser: 'Safari 17', os: 'iOS' },
    ],
    [
      'Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36',
      { browser: 'Samsung Internet 25', os: 'Android OS' },
    ],
    [
      'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
      { browser: 'Firefox 133', os: 'Linux' },
    ],
    ['', null],
    ['Googlebot/2.1 (+http://www.google.com/bot.html)', null],
  ];
  for (const [ua, want] of cases)
    it(`reads ${ua ? ua.slice(0, 50) + '…' : 'an empty header'}`, () => {
      expect(deviceName(ua)).to.deep.equal(want);
    });
});
