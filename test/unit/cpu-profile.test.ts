/** The bench's reading of V8 CPU profiles: self time by place and inclusive time by package. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { summariseProfile } from '../../bench/cpu-profile.js';

const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });

describe('bench CPU profile summary', () => {
  it('counts a sample for every package on its stack once, and idle for none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mediashar-prof-'));
    try {
      const app = 'file:///srv/mediashar/node_modules';
      // (root) → koa → @grpc/grpc-js → node:_tls_wrap (self) and → @grpc/grpc-js → protobufjs;
      // (root) → pg; (root) → (idle).
      const nodes = [
        { id: 1, callFrame: frame('(root)', ''), children: [2, 6, 7] },
        { id: 2, callFrame: frame('dispatch', `${app}/koa/lib/application.js`), children: [3] },
        {
          id: 3,
          callFrame: frame('makeUnaryRequest', `${app}/@grpc/grpc-js/build/src/client.js`),
          children: [4],
        },
        { id: 4, callFrame: frame('write', 'node:_tls_wrap'), children: [5] },
        { id: 5, callFrame: frame('encode', `${app}/@grpc/grpc-js/build/src/x.js`), children: [8] },
        { id: 6, callFrame: frame('query', `${app}/pg/lib/client.js`), children: [] },
        { id: 7, callFrame: frame('(idle)', ''), children: [] },
        { id: 8, callFrame: frame('Writer', `${app}/protobufjs/src/writer.js`), children: [] },
      ];
      // 40 ms in TLS under grpc-js under koa, 20 ms in protobufjs under grpc-js twice, 40 ms in pg,
      // 100 ms idle.
      const samples = [4, 8, 6, 7];
      const timeDeltas = [40_000, 20_000, 40_000, 100_000];
      const file = join(dir, 'CPU.1.cpuprofile');
      writeFileSync(file, JSON.stringify({ nodes, samples, timeDeltas }));
      const summary = summariseProfile(file);
      expect(summary.self).to.deep.include.members([
        { self: 'node:_tls_wrap', selfPct: 40 },
        { self: 'protobufjs', selfPct: 20 },
        { self: 'pg', selfPct: 40 },
      ]);
      expect(summary.self.map((s) => s.self)).to.not.include('(idle)');
      expect(summary.inclusive).to.deep.equal([
        { package: '@grpc/grpc-js', pct: 60 },
        { package: 'koa', pct: 60 },
        { package: 'pg', pct: 40 },
        { package: 'protobufjs', pct: 20 },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
