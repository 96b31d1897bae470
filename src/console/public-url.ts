// The console's public URL (--public-url): the address users type, from which WebAuthn takes its relying party id
// (the host name) and the origin browsers report. WebAuthn refuses an IP address as RP ID, hence the default
// http://localhost:PORT (the port the server really listens on), never 127.0.0.1.
export function parsePublicUrl(text: string): URL {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new Error(`--public-url must be a URL such as https://iam.example.com, got '${text}'`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error(`--public-url must be an http:// or https:// URL, got '${text}'`);
  if (u.username || u.password || u.search || u.hash || (u.pathname !== '/' && u.pathname !== '')) {
    throw new Error(`--public-url is scheme, host and port only (the console is at /console under it), got '${text}'`);
  }
  if (/^[\d.]+$/.test(u.hostname) || u.hostname.startsWith('[')) throw new Error(`--public-url needs a host name, not an IP address (WebAuthn refuses IP addresses), got '${text}'`);
  return u;
}

/** The public URL the console answers under: the configured one, else http://localhost:PORT. */
export function publicUrlOf(configured: string | undefined, localPort: number | undefined): URL {
  return configured ? parsePublicUrl(configured) : new URL(`http://localhost:${localPort ?? 4555}`);
}
