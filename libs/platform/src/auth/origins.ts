/**
 * Which browser origins may open sockets (and read socket.io's polling answers): the api's own
 * (the page was served by the host the request is addressed to) and those in LIVE_ORIGINS.
 * A request without an Origin header is not a browser's cross-site request (a tablet app,
 * socket.io-client in Node) and is allowed; its token still decides.
 */
export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowed: readonly string[],
): boolean {
  if (origin === undefined || origin === '') return true;
  if (allowed.includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // "null" (a sandboxed frame, a file) and other non-origins
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  return host !== undefined && url.host.toLowerCase() === host.toLowerCase();
}
