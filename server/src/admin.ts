// REST admin API (docs/server.md): POST /v1/admin/<Action> with a JSON body, signed with the
// secret key: header `Authorization: TRTC-HMAC-SHA256 Timestamp=<unix s>, Signature=<base64>`,
// Signature = base64(HMAC-SHA256(secretKey, METHOD + "\n" + path + "\n" + Timestamp + "\n" + body)).
// A timestamp more than 300 s away from the server clock is refused (replay window).
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

import type { RoomId } from './protocol.js';
import type { RoomService } from './rooms.js';

export const ADMIN_PREFIX = '/v1/admin/';
const SKEW_SECONDS = 300;

export function signAdminRequest(key: string, method: string, path: string, timestamp: number, body: string): string {
  return createHmac('sha256', key).update(`${method}\n${path}\n${timestamp}\n${body}`).digest('base64');
}

/** The Authorization header for a request (used by tests, benchmarks and docs examples). */
export function adminAuthorization(key: string, method: string, path: string, body: string, now = Date.now()): string {
  const ts = Math.floor(now / 1000);
  return `TRTC-HMAC-SHA256 Timestamp=${ts}, Signature=${signAdminRequest(key, method, path, ts, body)}`;
}

export interface AdminReply {
  status: number;
  body: { Response: Record<string, unknown> };
}

class AdminError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function verify(key: string, method: string, path: string, body: string, header: string | undefined): void {
  if (!key) throw new AdminError(503, 'FailedOperation.NotConfigured', 'the server has no secret key configured');
  const m = /^TRTC-HMAC-SHA256 Timestamp=(\d{1,12}), Signature=([A-Za-z0-9+/=]{1,100})$/.exec(header ?? '');
  if (!m) {
    throw new AdminError(
      401,
      'AuthFailure.MissingAuthorization',
      'Authorization must be "TRTC-HMAC-SHA256 Timestamp=<unix seconds>, Signature=<base64>"',
    );
  }
  const ts = Number(m[1]);
  if (Math.abs(Date.now() / 1000 - ts) > SKEW_SECONDS) {
    throw new AdminError(401, 'AuthFailure.SignatureExpire', 'Timestamp is more than 300 s away from the server time');
  }
  const want = Buffer.from(signAdminRequest(key, method, path, ts, body));
  const got = Buffer.from(m[2] as string);
  if (want.length !== got.length || !timingSafeEqual(want, got)) {
    throw new AdminError(401, 'AuthFailure.SignatureFailure', 'Signature does not match the request and secret key');
  }
}

function roomIdOf(body: Record<string, unknown>, byString: boolean): RoomId {
  const r = body.RoomId;
  if (byString) {
    if (typeof r !== 'string' || r.length === 0 || Buffer.byteLength(r) > 64) {
      throw new AdminError(400, 'InvalidParameter.RoomId', 'RoomId must be a string room id of 1–64 bytes');
    }
    return r;
  }
  if (typeof r !== 'number' || !Number.isInteger(r) || r < 1 || r > 4294967294) {
    throw new AdminError(400, 'InvalidParameter.RoomId', 'RoomId must be an integer in [1, 4294967294]');
  }
  return r;
}

export function handleAdmin(
  service: RoomService,
  key: string,
  method: string,
  path: string,
  rawBody: string,
  authorization: string | undefined,
): AdminReply {
  const RequestId = randomUUID();
  try {
    if (method !== 'POST') throw new AdminError(405, 'UnsupportedOperation', 'admin actions are POST requests');
    verify(key, method, path, rawBody, authorization);
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(rawBody || '{}');
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error();
      body = parsed as Record<string, unknown>;
    } catch {
      throw new AdminError(400, 'InvalidParameter', 'body must be a JSON object');
    }
    const action = path.slice(ADMIN_PREFIX.length);
    switch (action) {
      case 'DismissRoom':
      case 'DismissRoomByStrRoomId': {
        const roomId = roomIdOf(body, action.endsWith('StrRoomId'));
        if (!service.dismissRoom(roomId)) {
          throw new AdminError(404, 'FailedOperation.RoomNotExist', `room ${String(roomId)} does not exist`);
        }
        return { status: 200, body: { Response: { RequestId } } };
      }
      case 'RemoveUser':
      case 'RemoveUserByStrRoomId': {
        const roomId = roomIdOf(body, action.endsWith('StrRoomId'));
        const ids = body.UserIds;
        if (!Array.isArray(ids) || ids.length === 0 || ids.length > 10 || !ids.every((u) => typeof u === 'string')) {
          throw new AdminError(400, 'InvalidParameter.UserIds', 'UserIds must be an array of 1–10 user ids');
        }
        const removed = service.removeUsers(roomId, ids as string[]);
        if (!removed)
          throw new AdminError(404, 'FailedOperation.RoomNotExist', `room ${String(roomId)} does not exist`);
        if (removed.length === 0) {
          throw new AdminError(404, 'FailedOperation.UserNotExist', 'none of the users is in the room');
        }
        return { status: 200, body: { Response: { RequestId, RemovedUserIds: removed } } };
      }
      case 'DescribeRooms':
        return { status: 200, body: { Response: { RequestId, Rooms: service.describeRooms() } } };
      case 'DescribeRoomUsers': {
        const roomId = roomIdOf(body, typeof body.RoomId === 'string');
        const users = service.describeUsers(roomId);
        if (!users) throw new AdminError(404, 'FailedOperation.RoomNotExist', `room ${String(roomId)} does not exist`);
        return { status: 200, body: { Response: { RequestId, Users: users } } };
      }
      default:
        throw new AdminError(404, 'InvalidAction', `unknown action "${action.slice(0, 64)}"`);
    }
  } catch (e) {
    if (e instanceof AdminError) {
      return { status: e.status, body: { Response: { RequestId, Error: { Code: e.code, Message: e.message } } } };
    }
    throw e;
  }
}
