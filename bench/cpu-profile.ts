/**
 * Reads V8 .cpuprofile files (node --cpu-prof) and tells where the time went: self time per
 * package (node_modules/<pkg>, the project's own folders, node: internals, GC, idle), and
 * inclusive time per package (a sample counts for every package on its stack, once), which
 * gives the whole cost of a client library: gRPC calls with the TLS and protobuf work under
 * them, Redis commands, SQL.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
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
  // node:internal/streams/writable → node:internal/streams; node:_tls_wrap stays itself.
  if (url.startsWith('node:')) {
    const parts = url.slice(5).split('/');
    return `node:${parts[0] === 'internal' && parts.length > 2 ? parts.slice(0, 2).join('/') : parts[0]}`;
  }
  const own = /\/(gateway|grpc|workers|shared|proto)\/([^?]+)/.exec(url);
  if (own) return `${own[1]}/${own[2]}`;
  return url.split('/').slice(-2).join('/');
}

/** A profile's busiest places: self time by bucket, and inclusive time by package. */
export interface ProfileSummary {
  /** Self-time shares (%) by bucket, busiest first; idle is out of the total. */
  self: { self: string; selfPct: number }[];
  /**
   * Inclusive shares (%) of node_modules packages and the project's folders: the time of every
   * sample with the package anywhere on its stack (what a call into it costs, with what runs
   * under it), busiest first; idle is out of the total.
   */
  inclusive: { package: string; pct: number }[];
}

/** Summarises one .cpuprofile file; `top` rows of each kind. */
export function summariseProfile(file: string, top = 10): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let busy = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]!);
    if (!node) continue;
    const dt = profile.timeDeltas[i] ?? 0;
    const bucket = bucketOf(node.callFrame);
    self.set(bucket, (self.get(bucket) ?? 0) + dt);
    if (bucket === '(idle)') continue;
    busy += dt;
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)!.callFrame;
      if (!frame.url || frame.url.startsWith('node:')) continue;
      const pkg = bucketOf(frame).split('/')[0]!;
      const name = pkg.startsWith('@') ? bucketOf(frame) : pkg;
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + dt);
    }
  }
  self.delete('(idle)');
  const total = busy || 1;
  const pct = (t: number) => Math.round((t / total) * 1000) / 10;
  return {
    self: [...self.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([bucket, t]) => ({ self: bucket, selfPct: pct(t) })),
    inclusive: [...inclusive.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, t]) => ({ package: name, pct: pct(t) })),
  };
}

/** Summaries of every profile in `dir`, named by the process whose pid wrote it. */
export function summariseProfiles(dir: string, names: Map<number, string>): Record<string, ProfileSummary> {
  const out: Record<string, ProfileSummary> = {};
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
