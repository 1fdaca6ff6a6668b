/**
 * Uploads through the running gateway (issue 14): a valid image and sound round-trip byte for
 * byte with their checked type, nosniff and immutable caching; a renamed executable, an HTML file
 * named .gif, an oversized and a truncated file are refused with clear messages (en and id) and
 * store nothing; uploads are the streamer's own. Both storages: gateway_db and UPLOAD_DIR.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { TestSystem } from '../support/system.js';
import { http, registerStreamer, type TestStreamer } from '../support/clients.js';
import { gif, mp3, png } from '../support/media-files.js';

for (const storage of ['gateway_db', 'UPLOAD_DIR'] as const)
  describe(`uploads stored in ${storage} (real gateway)`, function () {
    this.timeout(120_000);
    let system: TestSystem;
    let streamer: TestStreamer;
    let other: TestStreamer;
    const dir = storage === 'UPLOAD_DIR' ? mkdtempSync(join(tmpdir(), 'ms-uploads-')) : '';

    before(async function () {
      this.timeout(600_000);
      system = await TestSystem.start({ processes: ['gateway'], env: { UPLOAD_DIR: dir } });
      streamer = await registerStreamer(system);
      other = await registerStreamer(system);
    });
    after(async () => {
      await system?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const upload = (
      kind: string,
      bytes: Buffer,
      options: { token?: string; language?: string; name?: string } = {},
    ) =>
      http(
        system,
        'POST',
        `/api/v1/me/uploads?kind=${kind}&name=${encodeURIComponent(options.name ?? 'x')}`,
        {
          token: options.token ?? streamer.accessToken,
          raw: bytes,
          headers: {
            'content-type': 'application/octet-stream',
            'accept-language': options.language ?? 'en',
          },
        },
      );
    const list = async () =>
      (await http(system, 'GET', '/api/v1/me/uploads', { token: streamer.accessToken })).body.uploads as {
        id: string;
        url: string;
      }[];

    it('stores a valid GIF and MP3 and serves them back byte for byte, typed and nosniff', async () => {
      for (const [kind, bytes, mime] of [
        ['image', gif(), 'image/gif'],
        ['sound', mp3(), 'audio/mpeg'],
      ] as const) {
        const res = await upload(kind, bytes, { name: 'alert.bin' });
        expect(res.status, JSON.stringify(res.body)).to.equal(201);
        expect(res.body).to.include({ kind, mime, size: bytes.length, name: 'alert.bin' });
        const served = await fetch(`${system.gatewayUrl}${res.body.url as string}`);
        expect(served.status).to.equal(200);
        expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).to.equal(true);
        expect(served.headers.get('content-type')).to.equal(mime);
        expect(served.headers.get('x-content-type-options')).to.equal('nosniff');
        expect(served.headers.get('cache-control')).to.match(/max-age=31536000.*immutable/);
        expect(served.headers.get('content-security-policy')).to.contain('sandbox');
      }
      expect((await list()).length).to.equal(2);
      if (dir) expect(readdirSync(dir).length).to.equal(2);
    });

    const hostile: [string, string, () => Buffer, number, string, string][] = [
      [
        'a renamed executable',
        'image',
        () => Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(200, 1)]),
        400,
        'This file is not a PNG, JPEG, GIF or WebP image (its content was checked, not its name)',
        'Berkas ini bukan gambar PNG, JPEG, GIF, atau WebP (yang diperiksa isinya, bukan namanya)',
      ],
      [
        'an HTML file named .gif',
        'image',
        () => Buffer.from('<!doctype html><script>fetch("/api/v1/me")</script>'),
        400,
        'This file is not a PNG, JPEG, GIF or WebP image (its content was checked, not its name)',
        'Berkas ini bukan gambar PNG, JPEG, GIF, atau WebP (yang diperiksa isinya, bukan namanya)',
      ],
      [
        'an oversized image',
        'image',
        () => png(1400, 1400, true),
        413,
        'An image can be at most 5 MB',
        'Gambar maksimal 5 MB',
      ],
      [
        'a truncated image',
        'image',
        () => png(64, 64).subarray(0, 100),
        400,
        'This image is incomplete: the file was cut off',
        'Gambar ini tidak lengkap: berkasnya terpotong',
      ],
    ];
    for (const [name, kind, bytes, status, en, id] of hostile)
      it(`refuses ${name} with ${status} in the reader's language, storing nothing`, async () => {
        const before = (await list()).length;
        const res = await upload(kind, bytes(), { name: 'cute.gif' });
        expect(res.status).to.equal(status);
        expect(res.body.error.message).to.equal(en);
        expect(res.body.error.details.fields.file).to.equal(en);
        const inId = await upload(kind, bytes(), { language: 'id' });
        expect(inId.body.error.message).to.equal(id);
        expect((await list()).length).to.equal(before);
        if (dir) expect(readdirSync(dir).length).to.equal(before);
      });

    it('refuses an unknown kind naming it, and anonymous callers', async () => {
      const res = await upload('video', gif());
      expect(res.status).to.equal(400);
      expect(res.body.error.details.fields).to.have.property('kind');
      const anonymous = await http(system, 'POST', '/api/v1/me/uploads?kind=image', { raw: gif() });
      expect(anonymous.status).to.equal(401);
    });

    it("lets alert designs use the streamer's own uploads of the right kind only", async () => {
      const mine = (await http(system, 'GET', '/api/v1/me/uploads', { token: streamer.accessToken })).body
        .uploads as { id: string; kind: string }[];
      const image = mine.find((u) => u.kind === 'image')!.id;
      const sound = mine.find((u) => u.kind === 'sound')!.id;
      const save = (token: string, alerts: unknown) =>
        http(system, 'PATCH', '/api/v1/me/settings', { token, body: { alerts } });
      const ok = await save(streamer.accessToken, {
        base: { imageUploadId: image, soundUploadId: sound, template: '{name} memberi {amount}!' },
      });
      expect(ok.status, JSON.stringify(ok.body)).to.equal(200);
      expect(ok.body.settings.alerts.base).to.include({ imageUploadId: image, layout: 'above' });
      // Another streamer's image, and a sound where an image goes: refused, naming alerts.
      const foreign = await save(other.accessToken, { base: { imageUploadId: image } });
      expect(foreign.status).to.equal(400);
      expect(foreign.body.error.details.fields.alerts).to.contain(image);
      const swapped = await save(streamer.accessToken, { base: { imageUploadId: sound } });
      expect(swapped.status).to.equal(400);
      const placeholder = await save(streamer.accessToken, { base: { template: '{nama} memberi' } });
      expect(placeholder.status).to.equal(400);
      expect(placeholder.body.error.details.fields['alerts.base.template']).to.contain('{nama}');
    });

    it('takes the word filter with the built-in lists switched on, and the check uses them', async () => {
      const check = async () =>
        (
          await http(system, 'POST', '/api/v1/me/word-filter/check', {
            token: streamer.accessToken,
            body: { text: 'dasar anjing, kamu bodoh' },
          })
        ).body as { flagged: boolean; masked: string };
      expect((await check()).flagged).to.equal(false);
      const saved = await http(system, 'PATCH', '/api/v1/me/settings', {
        token: streamer.accessToken,
        body: { wordFilter: { lists: { id: true }, words: ['bodoh'] } },
      });
      expect(saved.status, JSON.stringify(saved.body)).to.equal(200);
      expect(await check()).to.deep.include({ flagged: true, masked: 'dasar ******, kamu *****' });
      const bad = await http(system, 'PATCH', '/api/v1/me/settings', {
        token: streamer.accessToken,
        body: { wordFilter: { mode: 'drop', words: [''] } },
      });
      expect(bad.status).to.equal(400);
    });

    it("keeps uploads the streamer's own: another streamer can neither list nor delete them", async () => {
      const [mine] = await list();
      const theirs = await http(system, 'GET', '/api/v1/me/uploads', { token: other.accessToken });
      expect(theirs.body.uploads).to.deep.equal([]);
      const del = await http(system, 'DELETE', `/api/v1/me/uploads/${mine!.id}`, {
        token: other.accessToken,
      });
      expect(del.status).to.equal(404);
      expect((await fetch(`${system.gatewayUrl}${mine!.url}`)).status).to.equal(200);
      // While a design shows it, it stays (no broken image on stream), said in the reader's language.
      const me = await http(system, 'GET', '/api/v1/me', { token: streamer.accessToken });
      const base = me.body.streamer.settings.alerts.base as { imageUploadId: string; soundUploadId: string };
      expect([base.imageUploadId, base.soundUploadId]).to.include(mine!.id);
      const inUse = await http(system, 'DELETE', `/api/v1/me/uploads/${mine!.id}`, {
        token: streamer.accessToken,
        headers: { 'accept-language': 'id' },
      });
      expect(inUse.status).to.equal(409);
      expect(inUse.body.error.message).to.contain('desain alert');
      const freed = await http(system, 'PATCH', '/api/v1/me/settings', {
        token: streamer.accessToken,
        body: { alerts: { base: { imageUploadId: null, soundUploadId: null } } },
      });
      expect(freed.status, JSON.stringify(freed.body)).to.equal(200);
      const own = await http(system, 'DELETE', `/api/v1/me/uploads/${mine!.id}`, {
        token: streamer.accessToken,
      });
      expect(own.status).to.equal(204);
      expect((await fetch(`${system.gatewayUrl}${mine!.url}`)).status).to.equal(404);
      expect((await fetch(`${system.gatewayUrl}/uploads/../../etc/passwd`)).status).to.equal(404);
    });
  });
