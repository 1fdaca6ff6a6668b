/**
 * Reads V8 .cpuprofile files (node --cpu-prof) and tells where the time went: self time per
 * package (node_modules/<pkg>, the project's own folders, node: internals, GC, idle).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives: a package, a project folder, or a V8/Node bucket. */
function bucketOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName === '(idle)') return '(idle)';
    if (functionName === '(garbage collector)') return '(gc)';
    if (functionName === '(program)') return '(program)';
    return '(native)';
  }
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const own = /\/(gateway|grpc|workers|shared|proto)\/([^?]+)/.exec(url);
  if (own) return `${own[1]}/${own[2]}`;
  return url.split('/').slice(-2).join('/');
}

/** Self-time shares (%) by bucket, busiest first, idle excluded from the total. */
export function summariseProfile(file: string, top = 10): { self: string; selfPct: number }[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const time = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]!);
    if (!node) continue;
    const bucket = bucketOf(node.callFrame);
    time.set(bucket, (time.get(bucket) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  time.delete('(idle)');
  const total = [...time.values()].reduce((a, b) => a + b, 0) || 1;
  return [...time.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([self, t]) => ({ self, selfPct: Math.round((t / total) * 1000) / 10 }));
}

/** Summaries of every profile in `dir`, named by the process whose pid wrote it. */
export function summariseProfiles(
  dir: string,
  names: Map<number, string>,
): Record<string, { self: string; selfPct: number }[]> {
  const out: Record<string, { self: string; selfPct: number }[]> = {};
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  } catch {
    return out;
  }
  for (const f of files) {
    // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; thread 0 is the main thread (tsx's
    // module loader runs in a thread of its own and writes a profile too).
    const [, , , pid, thread] = f.split('.');
    if (thread !== '0') continue;
    const name = names.get(Number(pid));
    if (!name) continue; // pm2-runtime itself or a helper
    out[name] = summariseProfile(join(dir, f));
  }
  return out;
}
