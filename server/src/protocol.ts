// The signaling protocol between the SDK and the room server (docs/protocol.md): error codes,
// limits, message shapes and the validation of every field a client sends.

/** Protocol version the server speaks; a `join` that asks for another one is refused. */
export const PROTOCOL_VERSION = 1;

/** Error codes of `{id, error:{code, message}}` replies (docs/protocol.md lists when each is sent). */
export const Code = {
  // Protocol (room server)
  MALFORMED_MESSAGE: 4000,
  UNKNOWN_METHOD: 4001,
  UNSUPPORTED_VERSION: 4002,
  MESSAGE_TOO_LARGE: 4013,
  RATE_LIMITED: 4029,
  INVALID_PARAMETER: 4096,
  INVALID_OPERATION: 4097,
  REMOTE_STREAM_NOT_EXIST: 16400,
  SERVER_TIMEOUT: 16449,
  SWITCH_ROLE_FAILED: 16458,
  // Account system (TRTC codes)
  SDKAPPID_INVALID: -8,
  SIG_EXPIRED: 70001,
  SIG_EMPTY: 70002,
  SIG_MALFORMED: 70003,
  SIG_MISMATCH: 70009,
  SIG_USERID_MISMATCH: 70013,
  SIG_SDKAPPID_MISMATCH: 70014,
  // Room entry and rights (TRTC codes)
  ROOM_ID_INVALID: -10012,
  ROOM_CREATE_FAILED: -10016,
  PRIVATE_MAP_KEY_REQUIRED: -10018,
  PRIVATE_MAP_KEY_INVALID: -10019,
  PRIVILEGE_DENIED: -100006,
  NO_PRIVILEGE_SUB_VIDEO: -102015,
  // Room rules (room server)
  ROOM_FULL: -10030,
  TOO_MANY_PUBLISHERS: -10031,
  MEDIA_SERVER_UNAVAILABLE: -10032,
  INTERNAL: -10011,
} as const;

export const Limits = {
  /** Bytes of one WebSocket message the server reads; bigger ones get MESSAGE_TOO_LARGE. */
  MESSAGE_BYTES: 64 * 1024,
  /** Requests per connection per second before RATE_LIMITED; ten times that in one second closes it (1008). */
  REQUESTS_PER_SECOND: 50,
  USER_ID_BYTES: 128,
  STRING_ROOM_ID_BYTES: 64,
  MAX_NUMERIC_ROOM_ID: 4294967294,
  RTC_ROOM_USERS: 300,
  /** Anchors of a live room (audience is not capped). */
  LIVE_ROOM_ANCHORS: 300,
  PUBLISHERS: 50,
  CUSTOM_MESSAGE_BYTES: 1000,
  CUSTOM_MESSAGES_PER_SECOND_ROOM: 30,
  CUSTOM_MESSAGE_BYTES_PER_SECOND_CLIENT: 8000,
  SDP_BYTES: 48 * 1024,
} as const;

export type StreamType = 'main' | 'aux';
export type Role = 'anchor' | 'audience';
export type Mode = 'rtc' | 'live';
export type RoomId = number | string;
export type BannedReason = 'kick' | 'banned' | 'room-disband';

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const STRING_ROOM_ID = /^[A-Za-z\d\s!#$%&()+\-:;<=.>?@[\]^_{}|~,]{1,64}$/;

/** A room key that keeps 123 and "123" apart. */
export function roomKey(roomId: RoomId): string {
  return typeof roomId === 'number' ? `n:${roomId}` : `s:${roomId}`;
}

export function validateRoomId(value: unknown, useStringRoomId: boolean): RoomId {
  if (useStringRoomId) {
    if (typeof value !== 'string' || !STRING_ROOM_ID.test(value) || Buffer.byteLength(value) > 64) {
      throw new ProtocolError(
        Code.ROOM_ID_INVALID,
        'roomId must be a string of 1–64 characters from [A-Za-z0-9 !#$%&()+-:;<=.>?@[]^_{}|~,] when useStringRoomId is true',
      );
    }
    return value;
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > Limits.MAX_NUMERIC_ROOM_ID) {
    throw new ProtocolError(
      Code.ROOM_ID_INVALID,
      'roomId must be an integer in [1, 4294967294]; for string room ids set useStringRoomId: true',
    );
  }
  return value;
}

/** Reads fields of a params object with typed checks; every failure is INVALID_PARAMETER. */
export class Params {
  constructor(
    private readonly obj: Record<string, unknown>,
    private readonly method: string,
  ) {}

  static of(value: unknown, method: string): Params {
    if (value === undefined) return new Params({}, method);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ProtocolError(Code.INVALID_PARAMETER, `${method}: params must be an object`);
    }
    return new Params(value as Record<string, unknown>, method);
  }

  raw(name: string): unknown {
    return this.obj[name];
  }

  private fail(name: string, what: string): never {
    throw new ProtocolError(Code.INVALID_PARAMETER, `${this.method}: ${name} must be ${what}`);
  }

  string(name: string, opts: { maxBytes?: number; optional?: false }): string;
  string(name: string, opts: { maxBytes?: number; optional: true }): string | undefined;
  string(name: string, opts: { maxBytes?: number; optional?: boolean } = {}): string | undefined {
    const v = this.obj[name];
    if (v === undefined && opts.optional) return undefined;
    if (typeof v !== 'string') this.fail(name, 'a string');
    if (opts.maxBytes !== undefined && Buffer.byteLength(v) > opts.maxBytes) {
      this.fail(name, `at most ${opts.maxBytes} bytes`);
    }
    return v;
  }

  bool(name: string, fallback: boolean): boolean {
    const v = this.obj[name];
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') this.fail(name, 'a boolean');
    return v;
  }

  int(name: string, min: number, max: number): number {
    const v = this.obj[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      this.fail(name, `an integer in [${min}, ${max}]`);
    }
    return v;
  }

  oneOf<T extends string>(name: string, values: readonly T[], fallback?: T): T {
    const v = this.obj[name];
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
      this.fail(name, `one of ${values.map((x) => `'${x}'`).join(', ')}`);
    }
    return v as T;
  }

  /** An ICE candidate object or null (end of candidates). */
  candidate(name: string): { candidate: string; sdpMid?: string | null; sdpMLineIndex?: number | null } | null {
    const v = this.obj[name];
    if (v === null || v === undefined) return null;
    if (typeof v !== 'object' || Array.isArray(v)) this.fail(name, 'an RTCIceCandidateInit object or null');
    const c = v as Record<string, unknown>;
    if (typeof c.candidate !== 'string' || c.candidate.length > 1024) this.fail(name, 'an RTCIceCandidateInit object');
    const mid = c.sdpMid;
    const idx = c.sdpMLineIndex;
    if (mid !== undefined && mid !== null && typeof mid !== 'string') this.fail(`${name}.sdpMid`, 'a string');
    if (idx !== undefined && idx !== null && (typeof idx !== 'number' || !Number.isInteger(idx))) {
      this.fail(`${name}.sdpMLineIndex`, 'an integer');
    }
    return { candidate: c.candidate, sdpMid: mid as string | null | undefined, sdpMLineIndex: idx as number | null };
  }

  sdp(name: string): string {
    const v = this.string(name, { maxBytes: Limits.SDP_BYTES });
    if (!v.startsWith('v=0')) this.fail(name, 'an SDP (starting with "v=0")');
    return v;
  }
}

/** What a user publishes, as the other users see it. */
export interface StreamInfo {
  userId: string;
  streamType: StreamType;
  hasAudio: boolean;
  hasVideo: boolean;
  hasSmall: boolean;
  hasData: boolean;
  audioMuted: boolean;
  videoMuted: boolean;
}

export interface UserInfo {
  userId: string;
  role: Role;
}
