/** IPv4 CIDR checks without a library: four octets, a prefix, and host bits zero. */
export function cidrError(cidr: string, minPrefix: number, maxPrefix: number): string | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return `"${cidr}" is not an IPv4 CIDR such as "10.20.0.0/16"`;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255)) return `"${cidr}" has an octet above 255`;
  if (prefix < minPrefix || prefix > maxPrefix) return `"${cidr}" has prefix /${prefix}; a VPC takes /${minPrefix} to /${maxPrefix}`;
  const addr = octets.reduce((a, o) => a * 256 + o, 0);
  const hostBits = 2 ** (32 - prefix);
  if (addr % hostBits !== 0) {
    const base = addr - (addr % hostBits);
    const ip = [24, 16, 8, 0].map((s) => Math.floor(base / 2 ** s) % 256).join('.');
    return `"${cidr}" has host bits set; the network address is ${ip}/${prefix}`;
  }
  return undefined;
}
