/**
 * Group commit: concurrent callers each add one item; items are written together in one batch
 * once `maxBatch` are waiting or `maxDelayMs` has passed since the first. Each caller's promise
 * settles with the batch (with the write's result for its item, when the write returns one per
 * item); when a batch fails, its items are written one by one, so only an item that fails alone
 * is rejected.
 */
export class GroupCommit<T, R = void> {
  private items: { item: T; resolve: (result: R) => void; reject: (err: unknown) => void }[] = [];
  private timer: NodeJS.Timeout | undefined;

  /**
   * @param write writes a batch atomically (e.g. one multi-row INSERT … ON CONFLICT DO NOTHING)
   *   and returns one result per item, in order (or nothing, when R is void).
   * @param maxBatch items per write (default 200).
   * @param maxDelayMs longest wait of the first item before a write, in ms (default 3).
   */
  constructor(
    private readonly write: (items: T[]) => Promise<R[] | void>,
    private readonly maxBatch = 200,
    private readonly maxDelayMs = 3,
  ) {}

  /** Queues an item; resolves with its result once the batch holding it is written. */
  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.items.push({ item, resolve, reject });
      if (this.items.length >= this.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.maxDelayMs);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.items;
    this.items = [];
    if (!batch.length) return;
    this.write(batch.map((b) => b.item)).then(
      (results) => batch.forEach((b, i) => b.resolve(results?.[i] as R)),
      (err: unknown) => {
        if (batch.length === 1) return batch[0]!.reject(err);
        // One bad item must not hold back the others: write each alone, so only it fails.
        for (const b of batch) this.write([b.item]).then((results) => b.resolve(results?.[0] as R), b.reject);
      },
    );
  }
}
