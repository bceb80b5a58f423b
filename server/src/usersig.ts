// UserSig and PrivateMapKey in the TLS-sig-api-v2 format: HMAC-SHA256 over a line-based string,
// a JSON document, zlib deflate, then base64 with the escaping '+'→'*', '/'→'-', '='→'_'.
// Signatures made by the public `tls-sig-api-v2` npm package verify here, and the ones made here
// verify there (the tests check both directions and the published test vectors).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';

import { Code } from './protocol.js';

/** Privilege bits of a PrivateMapKey (userbuf). */
export const Privilege = {
  CREATE_ROOM: 1,
  ENTER_ROOM: 2,
  SEND_AUDIO: 4,
  RECV_AUDIO: 8,
  SEND_VIDEO: 16,
  RECV_VIDEO: 32,
  SEND_SUB_VIDEO: 64,
  RECV_SUB_VIDEO: 128,
  ALL: 255,
} as const;

/** A verification failure: `code` is the documented account-system code (70001, 70003, …). */
export class SigError extends Error {
  override readonly name = 'SigError';
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export interface PrivateMap {
  userId: string;
  sdkAppId: number;
  /** Numeric room id, or 0 when `roomStr` is set. */
  roomId: number;
  /** String room id (userbuf version 1), else undefined. */
  roomStr?: string;
  /** Absolute expiry, seconds since the epoch. */
  expireAt: number;
  privileges: number;
}

export interface VerifiedSig {
  userId: string;
  sdkAppId: number;
  /** Issue time and lifetime in seconds; the signature is valid until `time + expire`. */
  time: number;
  expire: number;
  userbuf?: Buffer;
}

function escapeB64(b64: string): string {
  return b64.replace(/\+/g, '*').replace(/\//g, '-').replace(/=/g, '_');
}

function unescapeB64(s: string): string {
  return s.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '=');
}

function hmacInput(identifier: string, sdkAppId: number, time: number, expire: number, userbuf?: string): string {
  let s = `TLS.identifier:${identifier}\nTLS.sdkappid:${sdkAppId}\nTLS.time:${time}\nTLS.expire:${expire}\n`;
  if (userbuf !== undefined) s += `TLS.userbuf:${userbuf}\n`;
  return s;
}

function hmacB64(key: string, input: string): string {
  return createHmac('sha256', key).update(input).digest('base64');
}

/** Generates a signature (server side only: the dev endpoint and tests). `now` is seconds. */
export function genSig(
  sdkAppId: number,
  key: string,
  userId: string,
  expire: number,
  userbuf?: Buffer,
  now = Math.floor(Date.now() / 1000),
): string {
  const doc: Record<string, string | number> = {
    'TLS.ver': '2.0',
    'TLS.identifier': String(userId),
    'TLS.sdkappid': sdkAppId,
    'TLS.time': now,
    'TLS.expire': expire,
  };
  const ub = userbuf?.toString('base64');
  if (ub !== undefined) doc['TLS.userbuf'] = ub;
  doc['TLS.sig'] = hmacB64(key, hmacInput(String(userId), sdkAppId, now, expire, ub));
  return escapeB64(deflateSync(Buffer.from(JSON.stringify(doc))).toString('base64'));
}

/** Builds the userbuf of a PrivateMapKey (the layout of tls-sig-api-v2 §4.2, big-endian). */
export function encodeUserbuf(p: PrivateMap): Buffer {
  const account = Buffer.from(p.userId, 'latin1');
  const room = p.roomStr !== undefined ? Buffer.from(p.roomStr, 'latin1') : undefined;
  const buf = Buffer.alloc(1 + 2 + account.length + 20 + (room ? 2 + room.length : 0));
  let o = buf.writeUInt8(room ? 1 : 0, 0);
  o = buf.writeUInt16BE(account.length, o);
  o += account.copy(buf, o);
  o = buf.writeUInt32BE(p.sdkAppId >>> 0, o);
  o = buf.writeUInt32BE(room ? 0 : p.roomId >>> 0, o);
  o = buf.writeUInt32BE(p.expireAt >>> 0, o);
  o = buf.writeUInt32BE(p.privileges >>> 0, o);
  o = buf.writeUInt32BE(0, o);
  if (room) {
    o = buf.writeUInt16BE(room.length, o);
    room.copy(buf, o);
  }
  return buf;
}

/** Parses a userbuf; throws SigError(70003) when it is truncated or malformed. */
export function decodeUserbuf(buf: Buffer): PrivateMap {
  const bad = (): never => {
    throw new SigError(Code.SIG_MALFORMED, 'privateMapKey userbuf is truncated or malformed');
  };
  if (buf.length < 3) bad();
  const ver = buf.readUInt8(0);
  if (ver !== 0 && ver !== 1) bad();
  const n = buf.readUInt16BE(1);
  if (buf.length < 3 + n + 20) bad();
  const userId = buf.toString('latin1', 3, 3 + n);
  let o = 3 + n;
  const sdkAppId = buf.readUInt32BE(o);
  const roomId = buf.readUInt32BE(o + 4);
  const expireAt = buf.readUInt32BE(o + 8);
  const privileges = buf.readUInt32BE(o + 12);
  o += 20;
  let roomStr: string | undefined;
  if (ver === 1) {
    if (buf.length < o + 2) bad();
    const m = buf.readUInt16BE(o);
    if (buf.length < o + 2 + m) bad();
    roomStr = buf.toString('latin1', o + 2, o + 2 + m);
  }
  return { userId, sdkAppId, roomId, roomStr, expireAt, privileges };
}

/** Generates a PrivateMapKey like `genPrivateMapKey` / `genPrivateMapKeyWithStringRoomID`. */
export function genPrivateMapKey(
  sdkAppId: number,
  key: string,
  userId: string,
  expire: number,
  room: number | string,
  privileges: number,
  now = Math.floor(Date.now() / 1000),
): string {
  const userbuf = encodeUserbuf({
    userId,
    sdkAppId,
    roomId: typeof room === 'number' ? room : 0,
    roomStr: typeof room === 'string' ? room : undefined,
    expireAt: now + expire,
    privileges,
  });
  return genSig(sdkAppId, key, userId, expire, userbuf, now);
}

/**
 * Decodes and checks a signature against the app's key: HMAC, then sdkAppId, userId and expiry.
 * Throws SigError with the documented codes: 70002 empty, 70003 undecodable, 70009 wrong HMAC
 * (signed with another key), 70013 other userId, 70014 other sdkAppId, 70001 expired.
 */
export function verifySig(
  sig: string,
  expected: { sdkAppId: number; key: string; userId: string },
  now = Math.floor(Date.now() / 1000),
): VerifiedSig {
  if (sig.length === 0) throw new SigError(Code.SIG_EMPTY, 'userSig is empty');
  if (sig.length > 4096 || !/^[A-Za-z0-9*\-_]+$/.test(sig)) {
    throw new SigError(Code.SIG_MALFORMED, 'userSig contains characters that a TLS-sig-api-v2 signature never has');
  }
  let doc: Record<string, unknown>;
  try {
    const json = inflateSync(Buffer.from(unescapeB64(sig), 'base64'), { maxOutputLength: 16384 }).toString('utf8');
    const parsed: unknown = JSON.parse(json);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    doc = parsed as Record<string, unknown>;
  } catch {
    throw new SigError(Code.SIG_MALFORMED, 'userSig cannot be decoded (truncated or not a TLS-sig-api-v2 signature)');
  }
  const identifier = doc['TLS.identifier'];
  const sdkAppId = doc['TLS.sdkappid'];
  const time = doc['TLS.time'];
  const expire = doc['TLS.expire'];
  const userbuf = doc['TLS.userbuf'];
  const hmac = doc['TLS.sig'];
  if (
    doc['TLS.ver'] !== '2.0' ||
    typeof identifier !== 'string' ||
    typeof sdkAppId !== 'number' ||
    typeof time !== 'number' ||
    typeof expire !== 'number' ||
    typeof hmac !== 'string' ||
    (userbuf !== undefined && typeof userbuf !== 'string')
  ) {
    throw new SigError(Code.SIG_MALFORMED, 'userSig is missing fields of the TLS-sig-api-v2 format');
  }
  const want = Buffer.from(hmacB64(expected.key, hmacInput(identifier, sdkAppId, time, expire, userbuf)));
  const got = Buffer.from(hmac);
  if (want.length !== got.length || !timingSafeEqual(want, got)) {
    throw new SigError(Code.SIG_MISMATCH, 'userSig signature does not match: it was made with another secret key');
  }
  if (sdkAppId !== expected.sdkAppId) {
    throw new SigError(Code.SIG_SDKAPPID_MISMATCH, `userSig was issued for sdkAppId ${sdkAppId}`);
  }
  if (identifier !== expected.userId) {
    throw new SigError(Code.SIG_USERID_MISMATCH, 'userSig was issued for another userId');
  }
  if (now > time + expire) {
    throw new SigError(Code.SIG_EXPIRED, 'userSig has expired: generate a new one');
  }
  return {
    userId: identifier,
    sdkAppId,
    time,
    expire,
    userbuf: userbuf !== undefined ? Buffer.from(userbuf, 'base64') : undefined,
  };
}
