// @ts-nocheck -- renamed from .js in this commit only (so that history follows the file); typed in the next
// IPv4/IPv6 addresses and CIDR blocks for IpAddress/NotIpAddress. IPv4 and IPv6 are separate spaces:
// an IPv4 request address never matches an IPv6 block (including ::ffff:0:0/96), as in AWS.

const V4_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/

/** @param {string} s @returns {number} uint32, or -1 when not an IPv4 address */
export function parseIPv4(s) {
  const m = V4_RE.exec(s)
  if (m === null) return -1
  let n = 0
  for (let i = 1; i <= 4; i++) {
    const o = +m[i]
    if (o > 255 || (m[i].length > 1 && m[i][0] === '0')) return -1
    n = n * 256 + o
  }
  return n
}

/** @param {string} s @returns {number[] | null} eight 16-bit words */
export function parseIPv6(s) {
  if (!s.includes(':')) return null
  let words = []
  const dbl = s.indexOf('::')
  if (dbl !== -1 && s.indexOf('::', dbl + 1) !== -1) return null
  const parseSide = (side) => {
    if (side === '') return []
    const out = []
    const groups = side.split(':')
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]
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
    words = [...left, ...new Array(8 - left.length - right.length).fill(0), ...right]
  }
  return words
}

/**
 * @typedef {{ v6: false, net: number, mask: number } | { v6: true, words: number[], prefix: number }} Cidr
 */

/**
 * Parse `a.b.c.d[/n]` or an IPv6 block; a bare address is a /32 (or /128).
 * @param {string} s
 * @returns {Cidr | null}
 */
export function parseCidr(s) {
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

/**
 * Parse a request address once: a number for IPv4, word array for IPv6, or null.
 * @param {string} s
 * @returns {number | number[] | null}
 */
export function parseIp(s) {
  if (s.length > 64) return null
  const v4 = parseIPv4(s)
  if (v4 >= 0) return v4
  return parseIPv6(s)
}

/**
 * @param {Cidr} cidr
 * @param {number | number[]} ip from parseIp
 */
export function cidrContains(cidr, ip) {
  if (!cidr.v6) return typeof ip === 'number' && ((ip & cidr.mask) >>> 0) === cidr.net
  if (typeof ip === 'number') return false
  let left = cidr.prefix
  for (let i = 0; i < 8 && left > 0; i++) {
    const take = left >= 16 ? 16 : left
    const mask = (0xffff << (16 - take)) & 0xffff
    if ((ip[i] & mask) !== (cidr.words[i] & mask)) return false
    left -= take
  }
  return true
}
