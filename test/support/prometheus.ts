/** Reading Prometheus text exposition in tests. */

/**
 * Sum of the samples of `name` whose labels include `labels` (other labels are ignored), or NaN
 * when no sample matches.
 */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  let found = false;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = line.slice(name.length).match(/^\{(.*)\}/)?.[1] ?? '';
    const have = Object.fromEntries(
      [...labelText.matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) {
      sum += Number(line.trim().split(/\s+/).pop());
      found = true;
    }
  }
  return found ? sum : NaN;
}
