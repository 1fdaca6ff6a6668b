/** The donation status page: polls the public status until it is final. */
const root = document.getElementById('status-root')!;
const statusEl = document.getElementById('status')!;
const payEl = document.getElementById('pay') as HTMLAnchorElement;
const id = root.dataset.donationId!;
const FINAL = new Set(['paid', 'failed', 'expired', 'refunded']);

async function poll(): Promise<void> {
  try {
    const res = await fetch(`/api/v1/donations/${encodeURIComponent(id)}`, { cache: 'no-store' });
    if (res.ok) {
      const d = (await res.json()) as {
        status: string;
        checkout: { url: string } | null;
        formattedAmount: string | null;
      };
      statusEl.textContent = d.status;
      root.dataset.status = d.status;
      payEl.hidden = !d.checkout;
      if (d.checkout) payEl.href = d.checkout.url;
      if (FINAL.has(d.status)) return;
    }
  } catch {
    /* keep polling */
  }
  setTimeout(() => void poll(), 1500);
}
void poll();
