/**
 * Socket.IO retries a lost connection by itself, but not a handshake the server refused (a
 * `connect_error` from namespace middleware leaves the socket inactive) nor a connection the
 * server cut: the overlay, the widgets and the dashboard retry those here, backing off 1 s, 2 s,
 * 4 s … up to 30 s, and from 1 s again once connected.
 *
 * Browser-safe: no Node APIs.
 */

/** The part of a socket.io-client Socket this needs. */
interface RetriableSocket {
  readonly active: boolean;
  connect(): unknown;
  on(event: 'connect', listener: () => void): unknown;
  on(event: 'connect_error', listener: (err: Error) => void): unknown;
}

/**
 * Retries refused handshakes of `socket`.
 * @param retry decides per refusal: false gives up (a rotated token never gets in again); a
 *   promise is waited for (e.g. a token refresh) and then its answer counts.
 */
export function retryRefusedHandshakes(
  socket: RetriableSocket,
  retry: (err: Error) => boolean | Promise<boolean> = () => true,
): void {
  let refusals = 0;
  socket.on('connect', () => (refusals = 0));
  socket.on('connect_error', (err) => {
    if (socket.active) return; // a transport error: Socket.IO retries it by itself
    void Promise.resolve(retry(err)).then((again) => {
      if (again) setTimeout(() => socket.connect(), Math.min(30_000, 1000 * 2 ** refusals++));
    });
  });
}
