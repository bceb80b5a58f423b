// UserSig / PrivateMapKey: the published test vectors, compatibility with the public
// tls-sig-api-v2 package in both directions, and a distinct code for each way a signature fails.
import { deflateSync, inflateSync } from 'node:zlib';

import { Code } from '../../server/src/protocol';
import {
  decodeUserbuf,
  encodeUserbuf,
  genPrivateMapKey,
  genSig,
  Privilege,
  SigError,
  verifySig,
} from '../../server/src/usersig';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const TLSSigAPIv2 = require('tls-sig-api-v2') as {
  Api: new (
    sdkappid: number,
    key: string,
  ) => {
    genUserSig(userId: string, expire: number): string;
    genPrivateMapKey(userId: string, expire: number, roomId: number, privileges: number): string;
    genPrivateMapKeyWithStringRoomID(userId: string, expire: number, room: string, privileges: number): string;
  };
};

const VEC_APP = 1400000000;
const VEC_KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e';
const VEC_NOW = 1700000000;

function decode(sig: string): Record<string, unknown> {
  const b64 = sig.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '=');
  return JSON.parse(inflateSync(Buffer.from(b64, 'base64')).toString()) as Record<string, unknown>;
}

function codeOf(fn: () => unknown): number {
  try {
    fn();
  } catch (e) {
    if (e instanceof SigError) return e.code;
    throw e;
  }
  return 0;
}

describe('UserSig test vectors (spec/reference-sdks.md §4.3)', () => {
  test('genUserSig("xiaojun", 15552000) matches byte for byte', () => {
    const sig = genSig(VEC_APP, VEC_KEY, 'xiaojun', 15552000, undefined, VEC_NOW);
    expect(sig).toBe(
      'eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwhWZiflZpXlQqeKU7MSCgswUJStDEwMogMiUZOamKlkZmqOKplYUZBaBxE1NTY3gosWZ6UpWSj5ljuYp*p7l5unBxXnF2WVhVU4uAf7Ozi5JpX7O5SbuHuUhzgZJmQXaTia2SrUAohcx8g__',
    );
    expect(decode(sig)['TLS.sig']).toBe('LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4=');
    expect(verifySig(sig, { sdkAppId: VEC_APP, key: VEC_KEY, userId: 'xiaojun' }, VEC_NOW + 10).expire).toBe(15552000);
  });

  test('genPrivateMapKey("xiaojun", 300, 10000, 255) has the published userbuf and sig', () => {
    const doc = decode(genPrivateMapKey(VEC_APP, VEC_KEY, 'xiaojun', 300, 10000, 255, VEC_NOW));
    expect(doc['TLS.userbuf']).toBe('AAAHeGlhb2p1blNyTgAAACcQZVPyLAAAAP8AAAAA');
    expect(doc['TLS.sig']).toBe('0+M4K64lITF5k+8jtQGalx0fgxd1aweZx0fZYfdnvZk=');
  });

  test('string-room userbuf layout', () => {
    const buf = encodeUserbuf({
      userId: 'xiaojun',
      sdkAppId: VEC_APP,
      roomId: 0,
      roomStr: 'room1',
      expireAt: VEC_NOW + 300,
      privileges: 255,
    });
    expect(buf.toString('hex')).toBe('0100077869616f6a756e53724e00000000006553f22c000000ff000000000005726f6f6d31');
    expect(decodeUserbuf(buf)).toEqual({
      userId: 'xiaojun',
      sdkAppId: VEC_APP,
      roomId: 0,
      roomStr: 'room1',
      expireAt: VEC_NOW + 300,
      privileges: 255,
    });
  });

  test('truncated userbufs are refused, never read out of bounds', () => {
    const buf = encodeUserbuf({ userId: 'u', sdkAppId: 1, roomId: 0, roomStr: 'r', expireAt: 1, privileges: 2 });
    for (let n = 0; n < buf.length; n++) {
      expect(codeOf(() => decodeUserbuf(buf.subarray(0, n)))).toBe(Code.SIG_MALFORMED);
    }
  });
});

describe('compatibility with the tls-sig-api-v2 npm package', () => {
  const api = new TLSSigAPIv2.Api(VEC_APP, VEC_KEY);

  test('a UserSig made by the package verifies', () => {
    const sig = api.genUserSig('alice', 600);
    const v = verifySig(sig, { sdkAppId: VEC_APP, key: VEC_KEY, userId: 'alice' });
    expect(v.userId).toBe('alice');
  });

  test('PrivateMapKeys made by the package decode to the same privileges and room', () => {
    const numeric = verifySig(api.genPrivateMapKey('alice', 600, 4242, 42), {
      sdkAppId: VEC_APP,
      key: VEC_KEY,
      userId: 'alice',
    });
    expect(decodeUserbuf(numeric.userbuf as Buffer)).toMatchObject({ roomId: 4242, privileges: 42, userId: 'alice' });
    const str = verifySig(api.genPrivateMapKeyWithStringRoomID('alice', 600, 'class-7', Privilege.ALL), {
      sdkAppId: VEC_APP,
      key: VEC_KEY,
      userId: 'alice',
    });
    expect(decodeUserbuf(str.userbuf as Buffer)).toMatchObject({ roomStr: 'class-7', privileges: 255 });
  });

  test('our signature decodes to the same document the package would make', () => {
    const now = Math.floor(Date.now() / 1000);
    const ours = decode(genSig(VEC_APP, VEC_KEY, 'bob', 600, undefined, now));
    const theirs = decode(api.genUserSig('bob', 600));
    if (theirs['TLS.time'] === now) expect(ours).toEqual(theirs);
    else expect(Object.keys(ours)).toEqual(Object.keys(theirs));
  });
});

describe('verification failures have distinct documented codes', () => {
  const expected = { sdkAppId: VEC_APP, key: VEC_KEY, userId: 'alice' };
  const good = genSig(VEC_APP, VEC_KEY, 'alice', 600);

  test('valid', () => expect(codeOf(() => verifySig(good, expected))).toBe(0));
  test('empty → 70002', () => expect(codeOf(() => verifySig('', expected))).toBe(Code.SIG_EMPTY));
  test('garbage and truncation → 70003', () => {
    expect(codeOf(() => verifySig('not a sig!', expected))).toBe(Code.SIG_MALFORMED);
    expect(codeOf(() => verifySig(good.slice(0, 40), expected))).toBe(Code.SIG_MALFORMED);
    expect(codeOf(() => verifySig('eJyrVgrxCdYrSy1SslIy', expected))).toBe(Code.SIG_MALFORMED);
  });
  test('signed with another key → 70009', () => {
    expect(codeOf(() => verifySig(genSig(VEC_APP, 'other-key', 'alice', 600), expected))).toBe(Code.SIG_MISMATCH);
  });
  test('for another user → 70013', () => {
    expect(codeOf(() => verifySig(genSig(VEC_APP, VEC_KEY, 'mallory', 600), expected))).toBe(Code.SIG_USERID_MISMATCH);
  });
  test('for another sdkAppId → 70014', () => {
    expect(codeOf(() => verifySig(genSig(1400000009, VEC_KEY, 'alice', 600), expected))).toBe(
      Code.SIG_SDKAPPID_MISMATCH,
    );
  });
  test('expired → 70001', () => {
    const old = genSig(VEC_APP, VEC_KEY, 'alice', 60, undefined, Math.floor(Date.now() / 1000) - 61);
    expect(codeOf(() => verifySig(old, expected))).toBe(Code.SIG_EXPIRED);
  });
  test('a zip bomb is refused without inflating it all', () => {
    const bomb = deflateSync(Buffer.alloc(50 * 1024 * 1024, 0x20))
      .toString('base64')
      .replace(/\+/g, '*')
      .replace(/\//g, '-')
      .replace(/=/g, '_');
    expect(codeOf(() => verifySig(bomb.slice(0, 4000), expected))).toBe(Code.SIG_MALFORMED);
  });
});
