import { readFileSync } from 'node:fs';

import TRTC, { ErrorCode, RtcError, VERSION } from '../../js/src/index';

describe('TRTC namespace', () => {
  test('VERSION equals the package version', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
    expect(TRTC.VERSION).toBe(pkg.version);
  });

  test('the default export carries the public classes', () => {
    expect(TRTC.RtcError).toBe(RtcError);
    expect(TRTC.ErrorCode).toBe(ErrorCode);
  });
});

describe('ErrorCode', () => {
  test('has the TRTC v4 numbers', () => {
    expect(ErrorCode.INVALID_PARAMETER).toBe(0x1000);
    expect(ErrorCode.INVALID_OPERATION).toBe(0x1001);
    expect(ErrorCode.NOT_SUPPORTED).toBe(0x1002);
    expect(ErrorCode.JOIN_ROOM_FAILED).toBe(0x4004);
    expect(ErrorCode.CLIENT_BANNED).toBe(0x4040);
    expect(ErrorCode.PLAY_NOT_ALLOWED).toBe(0x4043);
    expect(ErrorCode.SWITCH_ROLE_FAILED).toBe(0x404a);
    expect(ErrorCode.UNKNOWN).toBe(0xffff);
  });

  test("keeps the documentation's misspellings as aliases", () => {
    expect(ErrorCode.SIGNAL_CAHNNEL_SETUP_FAILED).toBe(ErrorCode.SIGNAL_CHANNEL_SETUP_FAILED);
    expect(ErrorCode.UNKOWN).toBe(ErrorCode.UNKNOWN);
  });

  test('codes are unique apart from the aliases', () => {
    const values = Object.entries(ErrorCode)
      .filter(([k]) => k !== 'SIGNAL_CAHNNEL_SETUP_FAILED' && k !== 'UNKOWN')
      .map(([, v]) => v);
    expect(new Set(values).size).toBe(values.length);
  });
});

describe('RtcError', () => {
  test('is an Error with getCode, extraCode and cause', () => {
    const cause = new Error('NotAllowedError');
    const e = new RtcError({ code: ErrorCode.JOIN_ROOM_FAILED, message: 'userSig expired', extraCode: 70001, cause });
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(RtcError);
    expect(e.name).toBe('RtcError');
    expect(e.getCode()).toBe(0x4004);
    expect(e.getExtraCode()).toBe(70001);
    expect(e.cause).toBe(cause);
    expect(String(e)).toBe('RtcError: userSig expired <code: 0x4004 extraCode: 70001>');
  });
});
