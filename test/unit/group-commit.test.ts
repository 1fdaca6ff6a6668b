import { expect } from 'chai';
import { GroupCommit } from '../../shared/group-commit.js';

describe('GroupCommit', () => {
  it('writes concurrent items in one batch', async () => {
    const batches: number[][] = [];
    const group = new GroupCommit<number>(
      (items) => {
        batches.push(items);
        return Promise.resolve();
      },
      100,
      5,
    );
    await Promise.all([1, 2, 3].map((n) => group.add(n)));
    expect(batches).to.deep.equal([[1, 2, 3]]);
  });

  it('rejects only the item that fails alone when a batch fails', async () => {
    const group = new GroupCommit<string>(
      (items) => (items.includes('bad') ? Promise.reject(new Error('cannot store')) : Promise.resolve()),
      100,
      5,
    );
    const results = await Promise.allSettled(['a', 'bad', 'c'].map((s) => group.add(s)));
    expect(results.map((r) => r.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('resolves each caller with the write result for its own item', async () => {
    const group = new GroupCommit<number, string>(
      (items) => Promise.resolve(items.map((n) => `row ${n}`)),
      100,
      5,
    );
    expect(await Promise.all([1, 2, 3].map((n) => group.add(n)))).to.deep.equal(['row 1', 'row 2', 'row 3']);
  });
});
