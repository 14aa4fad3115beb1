/**
 * IP address matching for the `cidr` operator, IPv4 and IPv6. Addresses are
 * compared as integers (BigInt, so IPv6's 128 bits fit) under the prefix mask.
 */
export interface CidrBlock {
  readonly family: 4 | 6;
  readonly network: bigint;
  readonly prefixLength: number;
}

interface ParsedAddress {
  readonly family: 4 | 6;
  readonly value: bigint;
}

const IPV4_OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const IPV6_GROUP = /^[0-9a-fA-F]{1,4}$/;

const parseIpv4 = (text: string): bigint | undefined => {
  const octets = text.split('.');
  if (octets.length !== 4 || !octets.every((octet) => IPV4_OCTET.test(octet))) return undefined;
  return octets.reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
};

const parseIpv6Groups = (text: string): number[] | undefined => {
  if (text === '') return [];
  const groups: number[] = [];
  const parts = text.split(':');
  for (const [index, part] of parts.entries()) {
    // An embedded IPv4 address (e.g. ::ffff:10.0.0.1) may only close the address.
    if (index === parts.length - 1 && part.includes('.')) {
      const ipv4 = parseIpv4(part);
      if (ipv4 === undefined) return undefined;
      groups.push(Number(ipv4 >> 16n), Number(ipv4 & 0xffffn));
    } else if (IPV6_GROUP.test(part)) {
      groups.push(parseInt(part, 16));
    } else {
      return undefined;
    }
  }
  return groups;
};

const parseIpv6 = (text: string): bigint | undefined => {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parseIpv6Groups(halves[0] ?? '');
  const tail = halves.length === 2 ? parseIpv6Groups(halves[1] ?? '') : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...Array<number>(Math.max(missing, 0)).fill(0), ...tail];
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(group), 0n);
};

const parseAddress = (text: string): ParsedAddress | undefined => {
  if (text.includes(':')) {
    const value = parseIpv6(text);
    return value === undefined ? undefined : { family: 6, value };
  }
  const value = parseIpv4(text);
  return value === undefined ? undefined : { family: 4, value };
};

const bitsOf = (family: 4 | 6) => (family === 4 ? 32 : 128);

const maskOf = (family: 4 | 6, prefixLength: number): bigint => {
  const bits = BigInt(bitsOf(family));
  const hostBits = bits - BigInt(prefixLength);
  return ((1n << bits) - 1n) ^ ((1n << hostBits) - 1n);
};

export class CidrSyntaxError extends Error {
  override readonly name = 'CidrSyntaxError';
}

/** Parses `10.0.0.0/24` or `2001:db8::/32`; a bare address is a /32 or /128. */
export const parseCidr = (text: string): CidrBlock => {
  const [addressText = '', prefixText, ...rest] = text.split('/');
  const address = parseAddress(addressText);
  if (!address || rest.length > 0) throw new CidrSyntaxError(`"${text}" is not an IPv4 or IPv6 CIDR block`);
  const maxPrefix = bitsOf(address.family);
  const prefixLength = prefixText === undefined ? maxPrefix : Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText ?? String(maxPrefix)) || prefixLength > maxPrefix) {
    throw new CidrSyntaxError(`"${text}" has an invalid prefix length`);
  }
  return { family: address.family, network: address.value & maskOf(address.family, prefixLength), prefixLength };
};

export const cidrContains = (block: CidrBlock, candidate: string): boolean => {
  const address = parseAddress(candidate);
  if (!address || address.family !== block.family) return false;
  return (address.value & maskOf(block.family, block.prefixLength)) === block.network;
};
