/**
 * Error codes of the TRTC Web SDK v4 (`RtcError.getCode()`), with the same names and numbers as
 * trtc-js-sdk 4.15.22. The documentation's misspellings `SIGNAL_CAHNNEL_SETUP_FAILED` and `UNKOWN`
 * are kept as aliases so code written against either spelling works.
 */
export const ErrorCode = {
  /** 0x1000: a parameter is missing, of the wrong type or out of range. */
  INVALID_PARAMETER: 0x1000,
  /** 0x1001: the call is not allowed now (e.g. `publish` before `join`). */
  INVALID_OPERATION: 0x1001,
  /** 0x1002: this browser or this build does not support the feature. */
  NOT_SUPPORTED: 0x1002,
  /** 0x1003: no camera or microphone, but capture was requested. */
  DEVICE_NOT_FOUND: 0x1003,
  /** 0x1004: `LocalStream.initialize()` could not capture. */
  INITIALIZE_FAILED: 0x1004,
  /** 0x4001: the signaling channel (WebSocket to the room server) could not be set up. */
  SIGNAL_CHANNEL_SETUP_FAILED: 0x4001,
  /** Alias of SIGNAL_CHANNEL_SETUP_FAILED, spelled as in the TRTC documentation. */
  SIGNAL_CAHNNEL_SETUP_FAILED: 0x4001,
  /** 0x4002: signaling channel error. */
  SIGNAL_CHANNEL_ERROR: 0x4002,
  /** 0x4003: ICE transport (media connection) error, usually blocked UDP. */
  ICE_TRANSPORT_ERROR: 0x4003,
  /** 0x4004: entering the room failed. */
  JOIN_ROOM_FAILED: 0x4004,
  /** 0x4005: creating the SDP offer failed. */
  CREATE_OFFER_FAILED: 0x4005,
  /** 0x4006: the signaling WebSocket could not reconnect after several retries. */
  SIGNAL_CHANNEL_RECONNECTION_FAILED: 0x4006,
  /** 0x4007: the publishing connection could not reconnect. */
  UPLINK_RECONNECTION_FAILED: 0x4007,
  /** 0x4008: the subscribing connection could not reconnect. */
  DOWNLINK_RECONNECTION_FAILED: 0x4008,
  /** 0x4010: the remote stream no longer exists (unpublished while subscribing). */
  REMOTE_STREAM_NOT_EXIST: 0x4010,
  /** 0x4040: removed from the room (same userId entered again, or by the admin API). */
  CLIENT_BANNED: 0x4040,
  /** 0x4041: the media server did not answer in time. */
  SERVER_TIMEOUT: 0x4041,
  /** 0x4042: subscribing to a remote stream timed out. */
  SUBSCRIPTION_TIMEOUT: 0x4042,
  /** 0x4043: the browser's autoplay policy blocked `play()`; call `resume()` after a user gesture. */
  PLAY_NOT_ALLOWED: 0x4043,
  /** 0x4044: the camera or microphone could not be recaptured after a device change. */
  DEVICE_AUTO_RECOVER_FAILED: 0x4044,
  /** 0x4045: starting the CDN relay failed. */
  START_PUBLISH_CDN_FAILED: 0x4045,
  /** 0x4046: stopping the CDN relay failed. */
  STOP_PUBLISH_CDN_FAILED: 0x4046,
  /** 0x4047: starting mix-transcoding failed. */
  START_MIX_TRANSCODE_FAILED: 0x4047,
  /** 0x4048: stopping mix-transcoding failed. */
  STOP_MIX_TRANSCODE_FAILED: 0x4048,
  /** 0x4049: this device cannot encode or decode H.264. */
  NOT_SUPPORTED_H264: 0x4049,
  /** 0x404a: switching role failed. */
  SWITCH_ROLE_FAILED: 0x404a,
  /** 0x404b: an API call timed out. */
  API_CALL_TIMEOUT: 0x404b,
  /** 0x404c: the room server could not be reached (scheduling failed). */
  SCHEDULE_FAILED: 0x404c,
  /** 0x404d: an API call was aborted (e.g. `leave` during `join`). */
  API_CALL_ABORTED: 0x404d,
  /** 0xffff: unknown error. */
  UNKNOWN: 0xffff,
  /** Alias of UNKNOWN, spelled as in the TRTC documentation. */
  UNKOWN: 0xffff,
} as const;

/** One of the numeric values of {@link ErrorCode}. */
export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Options of an {@link RtcError}. */
export interface RtcErrorOptions {
  /** One of {@link ErrorCode}. */
  code: ErrorCodeValue;
  /** What happened and what to do about it. */
  message: string;
  /** A finer code, e.g. a room-server or account error code (70001 for an expired UserSig). */
  extraCode?: number;
  /** The error that caused this one, e.g. a browser `DOMException`. */
  cause?: unknown;
  /**
   * The error's `name`. Default `'RtcError'`; capture failures keep the browser's name
   * (`NotAllowedError`, `NotFoundError`, …) so code written for TRTC v4 can switch on `error.name`.
   */
  name?: string;
}

/**
 * The error type of every SDK failure: `getCode()` returns one of {@link ErrorCode}.
 *
 * @example
 * ```ts
 * try { await client.join({ roomId: 8888 }); }
 * catch (e) { if (e instanceof TRTC.RtcError && e.getCode() === TRTC.ErrorCode.JOIN_ROOM_FAILED) { … } }
 * ```
 */
export class RtcError extends Error {
  override readonly name: string;
  /** One of {@link ErrorCode}. */
  readonly code: ErrorCodeValue;
  /** A finer code where there is one (room server or account error code). */
  readonly extraCode: number | undefined;
  /** The underlying error, if any. */
  readonly cause: unknown;

  constructor(options: RtcErrorOptions) {
    super(options.message);
    this.name = options.name ?? 'RtcError';
    this.code = options.code;
    this.extraCode = options.extraCode;
    this.cause = options.cause;
  }

  /** The {@link ErrorCode} of this error. */
  getCode(): ErrorCodeValue {
    return this.code;
  }

  /** The finer code, if any. */
  getExtraCode(): number | undefined {
    return this.extraCode;
  }

  override toString(): string {
    const hex = '0x' + this.code.toString(16);
    const extra = this.extraCode === undefined ? '' : ` extraCode: ${this.extraCode}`;
    return `RtcError: ${this.message} <code: ${hex}${extra}>`;
  }
}
