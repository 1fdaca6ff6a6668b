/**
 * The donation status page: polls the public status until it is final. A Midtrans QRIS checkout
 * is drawn here as a QR image (qrcode, SVG) with a countdown to its expiry.
 */
import QRCode from 'qrcode';

const root = document.getElementById('status-root')!;
const statusEl = document.getElementById('status')!;
const payEl = document.getElementById('pay') as HTMLAnchorElement;
const qrisEl = document.getElementById('qris')!;
const qrImg = document.getElementById('qr') as HTMLImageElement;
const countdownEl = document.getElementById('countdown')!;
const id = root.dataset.donationId!;
const FINAL = new Set(['paid', 'failed', 'expired', 'refunded']);
let drawn = '';
let expiresAt = 0;

/** "m:ss" until the QR code expires, or "expired". */
function tick(): void {
  const left = Math.max(0, Math.round((expiresAt - Date.now()) / 1000));
  countdownEl.textContent = left
    ? `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`
    : 'expired';
  if (left && !qrisEl.hidden) setTimeout(tick, 1000);
}

async function showQr(qrString: string, expires: string): Promise<void> {
  if (drawn === qrString) return;
  drawn = qrString;
  const svg = await QRCode.toString(qrString, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  qrImg.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  qrImg.dataset.qr = qrString;
  expiresAt = Date.parse(expires);
  qrisEl.hidden = false;
  tick();
}

const headlineEl = document.getElementById('headline')!;
const amountEl = document.getElementById('amount')!;
const HEADLINES: Record<string, string> = {
  pending: 'Almost there: finish the payment',
  paid: 'Thank you! Your donation is on its way to the stream',
  failed: 'The payment did not go through',
  expired: 'The payment window expired',
  refunded: 'This donation was refunded',
};

async function poll(): Promise<void> {
  try {
    const res = await fetch(`/api/v1/donations/${encodeURIComponent(id)}`, { cache: 'no-store' });
    if (res.ok) {
      const d = (await res.json()) as {
        status: string;
        checkout: { url: string; expiresAt: string; extras?: Record<string, string> } | null;
        formattedAmount: string | null;
      };
      statusEl.textContent = d.status;
      root.dataset.status = d.status;
      headlineEl.textContent = HEADLINES[d.status] ?? 'Your donation';
      amountEl.textContent = d.formattedAmount ?? '';
      const qrString = d.checkout?.extras?.qrString;
      payEl.hidden = !d.checkout || Boolean(qrString);
      if (d.checkout) payEl.href = d.checkout.url;
      if (qrString && d.checkout) await showQr(qrString, d.checkout.expiresAt);
      else qrisEl.hidden = true;
      if (FINAL.has(d.status)) return;
    }
  } catch {
    /* keep polling */
  }
  setTimeout(() => void poll(), 1500);
}
void poll();
