// IPv4/IPv6 addresses and CIDR blocks for IpAddress/NotIpAddress. IPv4 and IPv6 are separate spaces:
// an IPv4 request address never matches an IPv6 block (including ::ffff:0:0/96), as in AWS.

const V4_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/

/** @returns uint32, or -1 when not an IPv4 address */
export function parseIPv4(s: string): number {
  const m = V4_RE.exec(s)
  if (m === null) return -1
  let n = 0
  for (let i = 1; i <= 4; i++) {
    const g = m[i] ?? '' // the four groups always take part in a match
    const o = +g
    if (o > 255 || (g.length > 1 && g[0] === '0')) return -1
    n = n * 256 + o
  }
  return n
}

/** @returns eight 16-bit words, or null */
export function parseIPv6(s: string): number[] | null {
  if (!s.includes(':')) return null
  let words: number[] = []
  const dbl = s.indexOf('::')
  if (dbl !== -1 && s.indexOf('::', dbl + 1) !== -1) return null
  const parseSide = (side: string): number[] | null => {
    if (side === '') return []
    const out: number[] = []
    const groups = side.split(':')
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i] ?? ''
      if (i === groups.length - 1 && g.includes('.')) {
        const v4 = parseIPv4(g)
        if (v4 < 0) return null
        out.push(Math.floor(v4 / 65536), v4 % 65536)
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null
        out.push(parseInt(g, 16))
      }
    }
    return out
  }
  if (dbl === -1) {
    const w = parseSide(s)
    if (w === null || w.length !== 8) return null
    words = w
  } else {
    const left = parseSide(s.slice(0, dbl))
    const right = parseSide(s.slice(dbl + 2))
    if (left === null || right === null || left.length + right.length > 7) return null
    words = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right]
  }
  return words
}

/** A CIDR block: IPv4 as network and mask, IPv6 as eight words and a prefix length. */
export type Cidr =
  | { readonly v6: false; readonly net: number; readonly mask: number }
  | { readonly v6: true; readonly words: readonly number[]; readonly prefix: number }

/** A request address from parseIp: a uint32 for IPv4, eight 16-bit words for IPv6. */
export type IpAddress = number | readonly number[]

/** Parse `a.b.c.d[/n]` or an IPv6 block; a bare address is a /32 (or /128). */
export function parseCidr(s: string): Cidr | null {
  // The longest block is an IPv6 address with an embedded IPv4 one and a /128: under 64 characters.
  if (s.length > 64) return null
  const slash = s.indexOf('/')
  const addr = slash === -1 ? s : s.slice(0, slash)
  const bits = slash === -1 ? null : s.slice(slash + 1)
  if (bits !== null && !/^\d{1,3}$/.test(bits)) return null
  const v4 = parseIPv4(addr)
  if (v4 >= 0) {
    const prefix = bits === null ? 32 : +bits
    if (prefix > 32) return null
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0
    return { v6: false, net: (v4 & mask) >>> 0, mask }
  }
  const words = parseIPv6(addr)
  if (words === null) return null
  const prefix = bits === null ? 128 : +bits
  if (prefix > 128) return null
  return { v6: true, words, prefix }
}

/** Parse a request address once: a number for IPv4, word array for IPv6, or null. */
export function parseIp(s: string): IpAddress | null {
  if (s.length > 64) return null
  const v4 = parseIPv4(s)
  if (v4 >= 0) return v4
  return parseIPv6(s)
}

export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  if (!cidr.v6) return typeof ip === 'number' && ((ip & cidr.mask) >>> 0) === cidr.net
  if (typeof ip === 'number') return false
  let left = cidr.prefix
  for (let i = 0; i < 8 && left > 0; i++) {
    const take = left >= 16 ? 16 : left
    const mask = (0xffff << (16 - take)) & 0xffff
    // Both hold eight words (parseIPv6); `?? 0` only satisfies the index type.
    if (((ip[i] ?? 0) & mask) !== ((cidr.words[i] ?? 0) & mask)) return false
    left -= take
  }
  return true
}
