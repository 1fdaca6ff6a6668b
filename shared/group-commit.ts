/**
 * Group commit: concurrent callers each add one item; items are written together in one batch
 * once `maxBatch` are waiting or `maxDelayMs` has passed since the first. Each caller's promise
 * settles with the batch; when a batch fails, its items are written one by one, so only an item
 * that fails alone is rejected (and its job retries).
 */
export class GroupCommit<T> {
  private items: { item: T; resolve: () => void; reject: (err: unknown) => void }[] = [];
  private timer: NodeJS.Timeout | undefined;

  /**
   * @param write writes a batch atomically (e.g. one multi-row INSERT … ON CONFLICT DO NOTHING).
   * @param maxBatch items per write (default 200).
   * @param maxDelayMs longest wait of the first item before a write, in ms (default 3).
   */
  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly maxBatch = 200,
    private readonly maxDelayMs = 3,
  ) {}

  /** Queues an item; resolves once the batch holding it is written. */
  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
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
      () => batch.forEach((b) => b.resolve()),
      (err: unknown) => {
        if (batch.length === 1) return batch[0]!.reject(err);
        // One bad item must not hold back the others: write each alone, so only it fails.
        for (const b of batch) this.write([b.item]).then(b.resolve, b.reject);
      },
    );
  }
}
