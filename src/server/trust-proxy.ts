// Behind a TLS-terminating proxy: `--trust-proxy` names the proxies (addresses or CIDR blocks) whose
// X-Forwarded-For and X-Forwarded-Proto are believed. Off by default: then the peer address is the source and the
// headers are ignored, since anyone can send them.
import net from 'node:net';

/** An IPv4 peer on a dual-stack socket arrives as ::ffff:a.b.c.d; policies and proxy lists name it a.b.c.d. */
function normalize(ip: string): string {
  return ip.startsWith('::ffff:') && net.isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
}

/** One X-Forwarded-For entry as an address: ports and IPv6 brackets dropped; null when it is not an address. */
function forwardedAddress(entry: string): string | null {
  let s = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (bracketed) s = bracketed[1]!; // the group always matches
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(s)) s = s.slice(0, s.lastIndexOf(':'));
  s = normalize(s);
  return net.isIP(s) ? s : null;
}

/** The proxies a request may come through: how many entries, and whether an address is one of them. */
export interface TrustedProxies {
  readonly size: number;
  trusts(ip: string): boolean;
}

/** @param spec  comma-separated addresses and CIDR blocks, e.g. "10.0.0.0/8, 127.0.0.1, ::1" */
export function parseTrustedProxies(spec: string | undefined): TrustedProxies {
  const list = new net.BlockList();
  let size = 0;
  for (const raw of String(spec ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const [addr, prefix, extra] = raw.split('/');
    const ip = normalize(addr!); // split always gives a first element
    const type = net.isIPv4(ip) ? 'ipv4' : net.isIPv6(ip) ? 'ipv6' : null;
    const bits = prefix === undefined ? null : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
    if (!type || extra !== undefined || Number.isNaN(bits) || (bits !== null && bits > (type === 'ipv4' ? 32 : 128))) {
      throw new Error(`--trust-proxy: '${raw}' is not an IP address or CIDR block (e.g. 10.0.0.0/8, 127.0.0.1, ::1)`);
    }
    if (bits === null) list.addAddress(ip, type); else list.addSubnet(ip, bits, type);
    size++;
  }
  return {
    size,
    trusts: (ip: string) => size > 0 && net.isIP(ip) !== 0 && list.check(ip, net.isIPv4(ip) ? 'ipv4' : 'ipv6'),
  };
}

/** What the socket and the forwarding headers say about a request. */
export interface RequestPeer {
  readonly peer: string | undefined;
  readonly forwardedFor?: string | string[] | undefined;
  readonly forwardedProto?: string | string[] | undefined;
  readonly encrypted?: boolean | undefined;
}

/** Where a request comes from, as the policies see it (aws:SourceIp, aws:SecureTransport). */
export interface RequestSource {
  readonly sourceIp: string | undefined;
  readonly secure: boolean;
}

/**
 * The request's source address and whether it came over TLS, for aws:SourceIp and aws:SecureTransport.
 * X-Forwarded-For is walked from the right: each hop a trusted proxy reports is believed while the hop that
 * reported it is trusted, so the first untrusted address is the client (addresses a client put in front are
 * ignored). X-Forwarded-Proto counts only from a trusted peer: its last value, set by the nearest proxy.
 */
export function requestSource(
  { peer, forwardedFor, forwardedProto, encrypted = false }: RequestPeer,
  trusted: Pick<TrustedProxies, 'trusts'>,
): RequestSource {
  let source = peer ? normalize(peer) : undefined;
  if (!source || !trusted.trusts(source)) return { sourceIp: source, secure: encrypted };
  const proto = [forwardedProto ?? []].flat().join(',').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean).at(-1);
  const hops = [forwardedFor ?? []].flat().join(',').split(',').filter((s) => s.trim());
  for (let i = hops.length - 1; i >= 0 && trusted.trusts(source); i--) {
    const hop = forwardedAddress(hops[i]!); // i is within hops
    if (!hop) break; // not an address: the last hop reached is as far as the chain can be believed
    source = hop;
  }
  return { sourceIp: source, secure: proto === undefined ? encrypted : proto === 'https' };
}
