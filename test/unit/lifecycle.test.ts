/**
 * A process whose process manager is gone stops by itself (shared/lifecycle.ts): pm2 forks its
 * apps with an IPC channel, and a closed channel drains the process like SIGINT, or ends it at
 * once while it is still starting. Without a channel (plain `node`), nothing changes.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'chai';

const SCRIPT = join(import.meta.dirname, '..', 'fixtures', 'lifecycle', 'managed-process.ts');

function output(child: ChildProcess): { text: string } {
  const out = { text: '' };
  child.stdout!.on('data', (d: Buffer) => (out.text += d.toString()));
  return out;
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 20));
}

describe('process lifecycle under a process manager', function () {
  this.timeout(30_000);

  it('drains and exits 0 when the IPC channel closes', async () => {
    const child = fork(SCRIPT, ['started'], { execArgv: ['--import', 'tsx'], stdio: 'pipe' });
    const out = output(child);
    const exited = exitOf(child);
    await until(() => out.text.includes('started'));
    child.disconnect();
    expect(await exited).to.equal(0);
    expect(out.text).to.equal('started\ndrained\n');
  });

  it('exits 0 at once when the channel closes while it is still starting', async () => {
    const child = fork(SCRIPT, [], { execArgv: ['--import', 'tsx'], stdio: 'pipe' });
    const out = output(child);
    const exited = exitOf(child);
    await until(() => out.text.includes('starting'));
    child.disconnect();
    expect(await exited).to.equal(0);
    expect(out.text).to.not.include('drained');
  });

  it('keeps running without a channel until a signal drains it', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, 'started'], { stdio: 'pipe' });
    const out = output(child);
    const exited = exitOf(child);
    await until(() => out.text.includes('started'));
    // Still alive after a moment with no channel to lose.
    await new Promise((r) => setTimeout(r, 300));
    expect(child.exitCode).to.equal(null);
    child.kill('SIGINT');
    expect(await exited).to.equal(0);
    expect(out.text).to.equal('started\ndrained\n');
  });
});
