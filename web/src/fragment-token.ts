/**
 * The token of an account mail's link (/reset-password#token=…, /verify-email#token=…). It rides
 * in the fragment, so it never reaches a server log or a Referer; `forget` drops it from the
 * address bar once used.
 */
export function fragmentToken(): { token: string; forget: () => void } {
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
  return { token, forget: () => history.replaceState(null, '', location.pathname) };
}
