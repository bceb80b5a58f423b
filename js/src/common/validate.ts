// Argument checks of the public API: a wrong call throws INVALID_PARAMETER with a message naming
// the method, the argument and what is expected, before anything goes to the network.
import { ErrorCode, RtcError } from '../errors';

/** Throws INVALID_PARAMETER: `<where>: <message>`. */
export function invalidParameter(where: string, message: string): RtcError {
  return new RtcError({ code: ErrorCode.INVALID_PARAMETER, message: `${where}: ${message}` });
}

/** Throws INVALID_OPERATION: `<where>: <message>`. */
export function invalidOperation(where: string, message: string): RtcError {
  return new RtcError({ code: ErrorCode.INVALID_OPERATION, message: `${where}: ${message}` });
}

/** A short printable form of a value for error messages. */
export function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'function') return 'a function';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : typeof v;
}

export function checkObject(where: string, name: string, v: unknown): asserts v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw invalidParameter(where, `\`${name}\` must be an object, got ${show(v)}`);
  }
}

export function checkOptionalObject(where: string, name: string, v: unknown): void {
  if (v !== undefined) checkObject(where, name, v);
}

/** An optional callback option. */
export function checkOptionalFunction(where: string, name: string, v: unknown): void {
  if (v !== undefined && typeof v !== 'function') {
    throw invalidParameter(where, `\`${name}\` must be a function, got ${show(v)}`);
  }
}

/** An optional `AbortSignal` option. */
export function checkOptionalAbortSignal(where: string, name: string, v: unknown): void {
  if (v !== undefined && !(typeof v === 'object' && v !== null && 'aborted' in v && 'addEventListener' in v)) {
    throw invalidParameter(where, `\`${name}\` must be an AbortSignal, got ${show(v)}`);
  }
}

export function checkBoolean(where: string, name: string, v: unknown, optional = true): void {
  if (optional && v === undefined) return;
  if (typeof v !== 'boolean') throw invalidParameter(where, `\`${name}\` must be true or false, got ${show(v)}`);
}

export function checkString(
  where: string,
  name: string,
  v: unknown,
  { optional = false, nonEmpty = true, maxBytes }: { optional?: boolean; nonEmpty?: boolean; maxBytes?: number } = {},
): void {
  if (optional && v === undefined) return;
  if (typeof v !== 'string') throw invalidParameter(where, `\`${name}\` must be a string, got ${show(v)}`);
  if (nonEmpty && v.length === 0) throw invalidParameter(where, `\`${name}\` must not be empty`);
  if (maxBytes !== undefined && new TextEncoder().encode(v).length > maxBytes) {
    throw invalidParameter(where, `\`${name}\` must be at most ${maxBytes} bytes`);
  }
}

export function checkNumber(
  where: string,
  name: string,
  v: unknown,
  {
    optional = false,
    integer = false,
    min,
    max,
  }: { optional?: boolean; integer?: boolean; min?: number; max?: number } = {},
): void {
  if (optional && v === undefined) return;
  const range =
    min !== undefined && max !== undefined
      ? ` from ${min} to ${max}`
      : min !== undefined
        ? ` of at least ${min}`
        : max !== undefined
          ? ` of at most ${max}`
          : '';
  const what = `${integer ? 'an integer' : 'a number'}${range}`;
  if (typeof v !== 'number' || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
    throw invalidParameter(where, `\`${name}\` must be ${what}, got ${show(v)}`);
  }
  if ((min !== undefined && v < min) || (max !== undefined && v > max)) {
    throw invalidParameter(where, `\`${name}\` must be ${what}, got ${v}`);
  }
}

export function checkOneOf<T extends string>(
  where: string,
  name: string,
  v: unknown,
  values: readonly T[],
  optional = true,
): void {
  if (optional && v === undefined) return;
  if (typeof v !== 'string' || !values.includes(v as T)) {
    throw invalidParameter(
      where,
      `\`${name}\` must be one of ${values.map((x) => `'${x}'`).join(', ')}, got ${show(v)}`,
    );
  }
}

/** TRTC's string room id alphabet (1–64 characters). */
export const STRING_ROOM_ID = /^[A-Za-z\d !#$%&()+\-:;<=.>?@[\]^_{}|~,]{1,64}$/;

/** Checks a roomId against the client's `useStringRoomId` (same rules as the room server). */
export function checkRoomId(where: string, roomId: unknown, useStringRoomId: boolean): void {
  if (useStringRoomId) {
    if (typeof roomId !== 'string' || !STRING_ROOM_ID.test(roomId)) {
      throw invalidParameter(
        where,
        `\`roomId\` must be a string of 1–64 letters, digits, spaces or !#$%&()+-:;<=.>?@[]^_{}|~, (useStringRoomId is true), got ${show(roomId)}`,
      );
    }
    return;
  }
  if (typeof roomId !== 'number' || !Number.isInteger(roomId) || roomId < 1 || roomId > 4294967294) {
    const hint = typeof roomId === 'string' ? '; for string room ids create the client with useStringRoomId: true' : '';
    throw invalidParameter(where, `\`roomId\` must be an integer from 1 to 4294967294, got ${show(roomId)}${hint}`);
  }
}

/** A `ws://` or `wss://` URL. */
export function checkWebSocketUrl(where: string, name: string, v: unknown): void {
  if (typeof v !== 'string' || !/^wss?:\/\/[^/\s]+/i.test(v)) {
    throw invalidParameter(where, `\`${name}\` must be a ws:// or wss:// URL, got ${show(v)}`);
  }
}
