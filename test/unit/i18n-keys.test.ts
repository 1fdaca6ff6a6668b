import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';

const DIR = join(import.meta.dirname, '..', '..', 'web', 'src', 'locales');
const SRC = join(import.meta.dirname, '..', '..', 'web', 'src');

/** Every leaf key of a message file ("donate.amount"), with its text. */
function leaves(value: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof child === 'string') out.set(path, child);
    else for (const [k, v] of leaves(child, path)) out.set(k, v);
  }
  return out;
}
const load = (file: string) => leaves(JSON.parse(readFileSync(join(DIR, file), 'utf8')));

/** Pairs of message files: <name>.id.json / <name>.en.json and id.json / en.json. */
const pairs = readdirSync(DIR)
  .filter((f) => /(^|\.)id\.json$/.test(f))
  .map((id) => [id, id.replace(/id\.json$/, 'en.json')] as const);

describe('web app message files (web/src/locales)', () => {
  it('has an Indonesian and an English file of each kind', () => {
    expect(pairs.map(([id]) => id)).to.include.members(['id.json', 'dashboard.id.json']);
    for (const [, en] of pairs) expect(readdirSync(DIR)).to.include(en);
  });
  for (const [idFile, enFile] of pairs) {
    it(`${idFile} and ${enFile} have the same keys, none empty, the same placeholders`, () => {
      const id = load(idFile);
      const en = load(enFile);
      expect(
        [...id.keys()].filter((k) => !en.has(k)),
        `missing in ${enFile}`,
      ).to.deep.equal([]);
      expect(
        [...en.keys()].filter((k) => !id.has(k)),
        `missing in ${idFile}`,
      ).to.deep.equal([]);
      const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      for (const [key, text] of id) {
        expect(text.trim(), `${idFile} ${key}`).to.not.equal('');
        expect(placeholders(text), `placeholders of ${key}`).to.deep.equal(placeholders(en.get(key)!));
      }
    });
  }
  it('every key the pages use exists in the message files', () => {
    const keys = new Set([...pairs.flatMap(([id]) => [...load(id).keys()])]);
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : /\.(vue|ts)$/.test(e.name) ? [join(dir, e.name)] : [],
      );
    const missing: string[] = [];
    for (const file of files(SRC)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bt\('([\w.]+)'/g)) {
        if (!keys.has(m[1]!)) missing.push(`${file.slice(SRC.length)}: ${m[1]}`);
      }
    }
    expect(missing).to.deep.equal([]);
  });
  it('no page renders HTML from data (v-html)', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.vue') ? [join(dir, e.name)] : [],
      );
    for (const file of files(SRC)) expect(readFileSync(file, 'utf8'), file).to.not.include('v-html');
  });
});
