/** The donor page: form → POST donation → checkout redirect (or status page while it is prepared). */
const form = document.getElementById('donate') as HTMLFormElement;
const errorBox = document.getElementById('error')!;

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void submit();
});

async function submit(): Promise<void> {
  errorBox.textContent = '';
  const data = new FormData(form);
  const field = (name: string, fallback = ''): string => {
    const value = data.get(name);
    return typeof value === 'string' ? value : fallback;
  };
  const body: Record<string, unknown> = {
    donorName: field('donorName'),
    amount: field('amount').replace(/\s/g, ''),
    currency: field('currency'),
    message: field('message'),
    provider: field('provider', 'sandbox'),
    anonymous: data.get('anonymous') === 'on',
  };
  const mediaUrl = field('mediaUrl').trim();
  if (mediaUrl) body.mediaUrl = mediaUrl;
  const button = form.querySelector('button')!;
  button.disabled = true;
  try {
    const res = await fetch(`/api/v1/streamers/${encodeURIComponent(form.dataset.username!)}/donations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': form.dataset.idempotencyKey! },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as {
      id?: string;
      checkout?: { url: string; extras?: Record<string, string> };
      error?: { message: string };
    };
    if (!res.ok || !json.id) {
      errorBox.textContent = json.error?.message ?? `Something went wrong (${res.status})`;
      form.dataset.idempotencyKey = crypto.randomUUID();
      return;
    }
    // A QRIS code is shown on our status page (with its countdown); others go to the provider.
    const qr = Boolean(json.checkout?.extras?.qrString);
    location.assign((!qr && json.checkout?.url) || `/donations/${json.id}`);
  } catch {
    errorBox.textContent = 'Network problem: try again';
  } finally {
    button.disabled = false;
  }
}
form.dataset.idempotencyKey = crypto.randomUUID();
