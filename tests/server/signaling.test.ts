// The room server's signaling, rules, REST admin API and webhooks, driven over real WebSockets and
// HTTP against the built server (signaling only: --no-janus; media is in janus.test.ts and the
// Playwright tests).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { adminAuthorization } from '../../server/src/admin';
import { Code, Limits } from '../../server/src/protocol';
import { Privilege } from '../../server/src/usersig';
import { signBody } from '../../server/src/webhooks';
import { Client, joined, KEY, pmk, SDK_APP_ID, sig, sleep, startServer, type RunningServer } from './support/harness';

jest.setTimeout(60_000);

interface Hook {
  body: string;
  sign: string | undefined;
  appId: string | undefined;
  json: { EventGroupId: number; EventType: number; EventInfo: Record<string, unknown> };
}

let server: RunningServer;
let hookServer: Server;
const hooks: Hook[] = [];
let failNextHooks = 0;

beforeAll(async () => {
  hookServer = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (failNextHooks > 0) {
        failNextHooks--;
        res.writeHead(500).end();
        return;
      }
      hooks.push({
        body,
        sign: req.headers.sign as string | undefined,
        appId: req.headers.sdkappid as string | undefined,
        json: JSON.parse(body) as Hook['json'],
      });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"code":0}');
    });
  });
  await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', r));
  const hookPort = (hookServer.address() as AddressInfo).port;
  server = await startServer([
    '--no-janus',
    '--grace-seconds',
    '2',
    '--callback-url',
    `http://127.0.0.1:${hookPort}/cb`,
    '--callback-key',
    'cbkey123',
  ]);
});

afterAll(async () => {
  const code = await server.stop();
  hookServer.close();
  expect(code).toBe(0);
});

let roomCounter = 100;
const newRoom = (): number => roomCounter++;

async function waitHook(pred: (h: Hook) => boolean, ms = 5000): Promise<Hook> {
  const end = Date.now() + ms;
  for (;;) {
    const h = hooks.find(pred);
    if (h) return h;
    if (Date.now() > end) throw new Error('webhook not received');
    await sleep(20);
  }
}

describe('join and presence', () => {
  test('two users see each other join and leave', async () => {
    const room = newRoom();
    const a = await joined(server, 'alice', room);
    expect(a.result).toMatchObject({
      roomId: room,
      role: 'anchor',
      users: [],
      streams: [],
      published: [],
      subscribed: [],
      mediaAvailable: false,
    });
    expect(typeof a.result.sessionToken).toBe('string');
    const b = await joined(server, 'bob', room);
    expect(b.result.users).toEqual([{ userId: 'alice', role: 'anchor' }]);
    await a.client.waitEvent('peer-join', (d) => d.userId === 'bob');
    await b.client.ok('leave');
    const left = await a.client.waitEvent('peer-leave', (d) => d.userId === 'bob');
    expect(left.data.reason).toBe('leave');
    a.client.close();
    b.client.close();
  });

  test('123 and "123" are different rooms', async () => {
    const n = await joined(server, 'u1', 123);
    const s = await joined(server, 'u2', '123');
    expect(s.result.users).toEqual([]);
    await sleep(100);
    expect(n.client.has('peer-join')).toBe(false);
    n.client.close();
    s.client.close();
  });

  test('protocol version: other versions are refused', async () => {
    const c = await Client.connect(server.ws);
    const welcome = c.events[0];
    expect(welcome).toMatchObject({ event: 'welcome', data: { protocol: 1 } });
    const r = await c.call('join', { protocol: 2, sdkAppId: SDK_APP_ID, userId: 'v', userSig: sig('v'), roomId: 1 });
    expect(r.error?.code).toBe(Code.UNSUPPORTED_VERSION);
    c.close();
  });

  test('methods before join are INVALID_OPERATION, join twice too', async () => {
    const c = await Client.connect(server.ws);
    expect((await c.call('publish', { sdp: 'v=0' })).error?.code).toBe(Code.INVALID_OPERATION);
    await c.ok('join', { sdkAppId: SDK_APP_ID, userId: 'twice', userSig: sig('twice'), roomId: newRoom() });
    expect(
      (await c.call('join', { sdkAppId: SDK_APP_ID, userId: 'twice', userSig: sig('twice'), roomId: 5 })).error?.code,
    ).toBe(Code.INVALID_OPERATION);
    c.close();
  });
});

describe('authentication', () => {
  const attempt = async (params: Record<string, unknown>): Promise<number | undefined> => {
    const c = await Client.connect(server.ws);
    const r = await c.call('join', { sdkAppId: SDK_APP_ID, userId: 'eve', roomId: 7, ...params });
    c.close();
    return r.error?.code;
  };

  test('each kind of bad UserSig has its own code', async () => {
    const { genSig } = await import('../../server/src/usersig');
    expect(await attempt({ userSig: sig('eve') })).toBeUndefined();
    expect(await attempt({ userSig: '' })).toBe(Code.SIG_EMPTY);
    expect(await attempt({ userSig: 'garbage' })).toBe(Code.SIG_MALFORMED);
    expect(await attempt({ userSig: genSig(SDK_APP_ID, 'wrong-key', 'eve', 600) })).toBe(Code.SIG_MISMATCH);
    expect(await attempt({ userSig: sig('mallory') })).toBe(Code.SIG_USERID_MISMATCH);
    expect(await attempt({ userSig: genSig(1400000002, KEY, 'eve', 600) })).toBe(Code.SIG_SDKAPPID_MISMATCH);
    expect(await attempt({ userSig: sig('eve', 10, Math.floor(Date.now() / 1000) - 11) })).toBe(Code.SIG_EXPIRED);
    expect(await attempt({ sdkAppId: 1400000002, userSig: sig('eve') })).toBe(Code.SDKAPPID_INVALID);
    expect(await attempt({ userSig: 42 })).toBe(Code.INVALID_PARAMETER);
  });

  test('PrivateMapKey: room, expiry and privilege bits are enforced', async () => {
    const room = newRoom();
    const join = async (userId: string, key: string, roomId: number | string = room): Promise<number | undefined> => {
      const c = await Client.connect(server.ws);
      const r = await c.call('join', {
        sdkAppId: SDK_APP_ID,
        userId,
        userSig: sig(userId),
        roomId,
        useStringRoomId: typeof roomId === 'string',
        privateMapKey: key,
      });
      if (r.error) c.close();
      return r.error?.code;
    };
    expect(await join('p1', pmk('p1', room + 1, 255))).toBe(Code.PRIVATE_MAP_KEY_INVALID);
    expect(await join('p1', pmk('p1', String(room), 255))).toBe(Code.PRIVATE_MAP_KEY_INVALID);
    expect(await join('p1', pmk('p2', room, 255))).toBe(Code.PRIVATE_MAP_KEY_INVALID);
    expect(await join('p1', sig('p1'))).toBe(Code.PRIVATE_MAP_KEY_INVALID);
    expect(await join('p1', pmk('p1', room, 255, -5))).toBe(Code.PRIVATE_MAP_KEY_INVALID);
    // Entering without the create bit fails while the room does not exist…
    expect(await join('p1', pmk('p1', room, Privilege.ENTER_ROOM))).toBe(Code.PRIVILEGE_DENIED);
    // …and without the enter bit always.
    expect(await join('p1', pmk('p1', room, Privilege.CREATE_ROOM))).toBe(Code.PRIVILEGE_DENIED);
    expect(await join('p1', pmk('p1', room, Privilege.ALL))).toBeUndefined();
    expect(await join('p2', pmk('p2', room, Privilege.ENTER_ROOM | Privilege.RECV_AUDIO))).toBeUndefined();
    expect(await join('s1', pmk('s1', 'str-room', 255), 'str-room')).toBeUndefined();
  });

  test('publishing without the privilege is refused before any media work', async () => {
    const room = newRoom();
    const { client } = await joined(server, 'np', room, {
      privateMapKey: pmk('np', room, Privilege.CREATE_ROOM | Privilege.ENTER_ROOM | Privilege.SEND_AUDIO),
    });
    const offer = (kinds: string[]): string =>
      ['v=0', ...kinds.map((k) => `m=${k} 9 UDP/TLS/RTP/SAVPF 96`), ''].join('\r\n');
    expect((await client.call('publish', { sdp: offer(['video']) })).error?.code).toBe(Code.PRIVILEGE_DENIED);
    expect((await client.call('publish', { streamType: 'aux', sdp: offer(['video']) })).error?.code).toBe(
      Code.NO_PRIVILEGE_SUB_VIDEO,
    );
    // Audio is granted: it gets as far as the (absent) media server.
    expect((await client.call('publish', { sdp: offer(['audio']) })).error?.code).toBe(Code.MEDIA_SERVER_UNAVAILABLE);
    client.close();
  });

  test('a server that requires PrivateMapKey refuses joins without one', async () => {
    const strict = await startServer(['--no-janus', '--require-private-map-key']);
    const c = await Client.connect(strict.ws);
    const r = await c.call('join', { sdkAppId: SDK_APP_ID, userId: 'x', userSig: sig('x'), roomId: 9 });
    expect(r.error?.code).toBe(Code.PRIVATE_MAP_KEY_REQUIRED);
    c.close();
    await strict.stop();
  });
});

describe('room ids', () => {
  test.each([
    [0, false],
    [4294967295, false],
    [1.5, false],
    [-1, false],
    ['12', false],
    [12, true],
    ['', true],
    ['a'.repeat(65), true],
    ['bad/char', true],
    ['引号', true],
    [null, false],
  ])('roomId %p (useStringRoomId %p) → ROOM_ID_INVALID', async (roomId, useStringRoomId) => {
    const c = await Client.connect(server.ws);
    const r = await c.call('join', { sdkAppId: SDK_APP_ID, userId: 'r', userSig: sig('r'), roomId, useStringRoomId });
    expect(r.error?.code).toBe(Code.ROOM_ID_INVALID);
    c.close();
  });

  test.each([[1], [4294967294]])('numeric roomId %p is accepted', async (roomId) => {
    const { client } = await joined(server, `edge${roomId}`, roomId);
    client.close();
  });

  test('string room ids with the documented characters are accepted', async () => {
    const { client } = await joined(server, 'str', 'Az09 !#$%&()+-:;<=.>?@[]^_{}|~,');
    client.close();
  });
});

describe('bad messages', () => {
  test('malformed, unknown, oversized, binary and wrong-typed messages get error replies; others are unaffected', async () => {
    const room = newRoom();
    const bystander = await joined(server, 'bystander', room);
    const c = await Client.connect(server.ws);
    expect((await c.raw('{not json')).error?.code).toBe(Code.MALFORMED_MESSAGE);
    expect((await c.raw('[1,2]')).error?.code).toBe(Code.MALFORMED_MESSAGE);
    expect((await c.raw('"str"')).error?.code).toBe(Code.MALFORMED_MESSAGE);
    expect((await c.raw(JSON.stringify({ id: { x: 1 }, method: 'ping' }))).error?.code).toBe(Code.MALFORMED_MESSAGE);
    expect((await c.raw(Buffer.from([1, 2, 3]), true)).error?.code).toBe(Code.MALFORMED_MESSAGE);
    expect((await c.raw('x'.repeat(Limits.MESSAGE_BYTES + 1))).error?.code).toBe(Code.MESSAGE_TOO_LARGE);
    expect((await c.call('fly')).error?.code).toBe(Code.UNKNOWN_METHOD);
    expect((await c.call('__proto__')).error?.code).toBe(Code.UNKNOWN_METHOD);
    expect((await c.call('constructor')).error?.code).toBe(Code.UNKNOWN_METHOD);
    expect((await c.call('join', 'params')).error?.code).toBe(Code.INVALID_PARAMETER);
    expect((await c.call('join', { sdkAppId: 'x' })).error?.code).toBe(Code.INVALID_PARAMETER);
    expect((await c.call('join', { sdkAppId: SDK_APP_ID, userId: '', userSig: 'x', roomId: 1 })).error?.code).toBe(
      Code.INVALID_PARAMETER,
    );
    expect(
      (await c.call('join', { sdkAppId: SDK_APP_ID, userId: 'u'.repeat(200), userSig: 'x', roomId: 1 })).error?.code,
    ).toBe(Code.INVALID_PARAMETER);
    expect(
      (await c.call('join', { sdkAppId: SDK_APP_ID, userId: 'm', userSig: sig('m'), roomId: 1, mode: 'party' })).error
        ?.code,
    ).toBe(Code.INVALID_PARAMETER);
    // The connection still works, and so does everybody else's.
    expect((await c.ok('ping')).time).toEqual(expect.any(Number));
    expect((await bystander.client.ok('ping')).time).toEqual(expect.any(Number));
    c.close();
    bystander.client.close();
  });

  test('a 2 MB frame closes only that connection (1009)', async () => {
    const bystander = await Client.connect(server.ws);
    const c = await Client.connect(server.ws);
    c.ws.send('x'.repeat(2 * 1024 * 1024));
    expect((await c.closed).code).toBe(1009);
    expect(await bystander.ok('ping')).toBeTruthy();
    bystander.close();
  });

  test('request floods are rate limited, then the connection is closed (1008)', async () => {
    const c = await Client.connect(server.ws);
    const replies = await Promise.all(Array.from({ length: 80 }, () => c.call('ping')));
    const limited = replies.filter((r) => r.error?.code === Code.RATE_LIMITED).length;
    expect(limited).toBeGreaterThanOrEqual(80 - Limits.REQUESTS_PER_SECOND);
    for (let i = 0; i < 1000; i++) c.ws.send('{"id":1,"method":"ping"}');
    expect((await c.closed).code).toBe(1008);
    const fresh = await Client.connect(server.ws);
    expect(await fresh.ok('ping')).toBeTruthy();
    fresh.close();
  });
});

describe('rooms and roles', () => {
  test('the same userId joining again kicks the earlier connection (client-banned: kick)', async () => {
    const room = newRoom();
    const other = await joined(server, 'watcher', room);
    const first = await joined(server, 'dup', room);
    const second = await joined(server, 'dup', room);
    const banned = await first.client.waitEvent('client-banned');
    expect(banned.data.reason).toBe('kick');
    expect((await first.client.closed).code).toBe(4001);
    expect(second.result.users).toEqual([{ userId: 'watcher', role: 'anchor' }]);
    await other.client.waitEvent('peer-leave', (d) => d.userId === 'dup');
    expect(await second.client.ok('ping')).toBeTruthy();
    other.client.close();
    second.client.close();
  });

  test("'rtc' rooms hold 300 users; the 301st is refused", async () => {
    const room = newRoom();
    const clients: Client[] = [];
    for (let i = 0; i < Limits.RTC_ROOM_USERS; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: 50 }, (_, k) => joined(server, `cap${i + k}`, room).then((j) => j.client)),
      );
      clients.push(...batch);
    }
    const c = await Client.connect(server.ws);
    const r = await c.call('join', { sdkAppId: SDK_APP_ID, userId: 'cap300', userSig: sig('cap300'), roomId: room });
    expect(r.error?.code).toBe(Code.ROOM_FULL);
    // Audience of a live room is not capped by the rtc limit (different room, same server).
    for (const x of clients) x.close();
    c.close();
  });

  test("'live' mode: audience is invisible until switchRole('anchor'); audience cannot publish", async () => {
    const room = newRoom();
    const anchor = await joined(server, 'host', room, { mode: 'live', role: 'anchor' });
    const viewer = await joined(server, 'viewer', room, { mode: 'live', role: 'audience' });
    expect(viewer.result.users).toEqual([{ userId: 'host', role: 'anchor' }]);
    await sleep(100);
    expect(anchor.client.has('peer-join', (d) => d.userId === 'viewer')).toBe(false);
    const pub = await viewer.client.call('publish', { sdp: 'v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n' });
    expect(pub.error?.code).toBe(Code.INVALID_OPERATION);
    expect(await viewer.client.ok('switchRole', { role: 'anchor' })).toEqual({ role: 'anchor' });
    await anchor.client.waitEvent('peer-join', (d) => d.userId === 'viewer');
    await viewer.client.ok('switchRole', { role: 'audience' });
    const left = await anchor.client.waitEvent('peer-leave', (d) => d.userId === 'viewer');
    expect(left.data.reason).toBe('role');
    const rtc = await joined(server, 'rtcuser', newRoom());
    expect((await rtc.client.call('switchRole', { role: 'audience' })).error?.code).toBe(Code.INVALID_OPERATION);
    // A room keeps its mode.
    const wrongMode = await Client.connect(server.ws);
    const r = await wrongMode.call('join', { sdkAppId: SDK_APP_ID, userId: 'wm', userSig: sig('wm'), roomId: room });
    expect(r.error?.code).toBe(Code.INVALID_PARAMETER);
    for (const c of [anchor.client, viewer.client, rtc.client, wrongMode]) c.close();
  });

  test('live rooms take audience beyond 300', async () => {
    const room = newRoom();
    const clients: Client[] = [];
    for (let i = 0; i < 320; i += 40) {
      const batch = await Promise.all(
        Array.from({ length: 40 }, (_, k) =>
          joined(server, `aud${i + k}`, room, { mode: 'live', role: 'audience' }).then((j) => j.client),
        ),
      );
      clients.push(...batch);
    }
    expect(clients).toHaveLength(320);
    for (const c of clients) c.close();
  });
});

describe('grace period', () => {
  test('a dropped user who resumes within the grace period keeps the membership', async () => {
    const room = newRoom();
    const a = await joined(server, 'stay', room);
    const b = await joined(server, 'flaky', room);
    b.client.ws.terminate();
    await sleep(800);
    const back = await Client.connect(server.ws);
    const snap = await back.ok('resume', { sessionToken: b.result.sessionToken });
    expect(snap.users).toEqual([{ userId: 'stay', role: 'anchor' }]);
    await sleep(2500);
    expect(a.client.has('peer-leave', (d) => d.userId === 'flaky')).toBe(false);
    // The resumed session works like the original.
    await back.ok('leave');
    await a.client.waitEvent('peer-leave', (d) => d.userId === 'flaky');
    a.client.close();
    back.close();
  });

  test('a dropped user is announced as left after the grace period, and its token dies', async () => {
    const room = newRoom();
    const a = await joined(server, 'stay2', room);
    const b = await joined(server, 'gone', room);
    const t0 = Date.now();
    b.client.ws.terminate();
    const left = await a.client.waitEvent('peer-leave', (d) => d.userId === 'gone', 6000);
    expect(left.data.reason).toBe('timeout');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1900);
    const late = await Client.connect(server.ws);
    expect((await late.call('resume', { sessionToken: b.result.sessionToken })).error?.code).toBe(
      Code.INVALID_OPERATION,
    );
    a.client.close();
    late.close();
  });
});

describe('custom messages', () => {
  test('relayed to the others with a sequence number; 1 KB and 30/s limits enforced', async () => {
    const room = newRoom();
    const a = await joined(server, 'talker', room);
    const b = await joined(server, 'listener', room);
    const data = Buffer.from('hello').toString('base64');
    const r = await a.client.ok('sendCustomMessage', { cmdId: 1, data });
    const got = await b.client.waitEvent('custom-message');
    expect(got.data).toEqual({ userId: 'talker', cmdId: 1, seq: r.seq, data });
    expect(a.client.has('custom-message')).toBe(false);
    const big = Buffer.alloc(1001).toString('base64');
    expect((await a.client.call('sendCustomMessage', { cmdId: 1, data: big })).error?.code).toBe(
      Code.MESSAGE_TOO_LARGE,
    );
    expect((await a.client.call('sendCustomMessage', { cmdId: 11, data })).error?.code).toBe(Code.INVALID_PARAMETER);
    expect((await a.client.call('sendCustomMessage', { cmdId: 1, data: '!!' })).error?.code).toBe(
      Code.INVALID_PARAMETER,
    );
    await sleep(1000);
    const results = await Promise.all(
      Array.from({ length: 40 }, () => a.client.call('sendCustomMessage', { cmdId: 2, data })),
    );
    const ok = results.filter((x) => !x.error).length;
    expect(ok).toBeLessThanOrEqual(Limits.CUSTOM_MESSAGES_PER_SECOND_ROOM);
    expect(results.filter((x) => x.error?.code === Code.RATE_LIMITED).length).toBe(40 - ok);
    a.client.close();
    b.client.close();
  });
});

describe('REST admin API', () => {
  const post = async (action: string, body: unknown, auth?: string): Promise<{ status: number; json: any }> => {
    const path = `/v1/admin/${action}`;
    const text = JSON.stringify(body);
    const res = await fetch(server.http + path, {
      method: 'POST',
      headers: {
        Authorization: auth ?? adminAuthorization(KEY, 'POST', path, text),
        'Content-Type': 'application/json',
      },
      body: text,
    });
    return { status: res.status, json: await res.json() };
  };

  test('unsigned, badly signed and stale requests are refused', async () => {
    expect((await post('DescribeRooms', {}, 'nope')).status).toBe(401);
    const wrongKey = adminAuthorization('other', 'POST', '/v1/admin/DescribeRooms', '{}');
    expect((await post('DescribeRooms', {}, wrongKey)).json.Response.Error.Code).toBe('AuthFailure.SignatureFailure');
    const stale = adminAuthorization(KEY, 'POST', '/v1/admin/DescribeRooms', '{}', Date.now() - 600_000);
    expect((await post('DescribeRooms', {}, stale)).json.Response.Error.Code).toBe('AuthFailure.SignatureExpire');
    // A signature is bound to its body.
    const forBody = adminAuthorization(KEY, 'POST', '/v1/admin/DismissRoom', '{"RoomId":1}');
    expect((await post('DismissRoom', { RoomId: 2 }, forBody)).status).toBe(401);
    expect((await post('Explode', {})).status).toBe(404);
    expect((await post('DismissRoom', { RoomId: 'x' })).status).toBe(400);
  });

  test('DescribeRooms / DescribeRoomUsers list rooms and users', async () => {
    const room = newRoom();
    const a = await joined(server, 'listed', room);
    const rooms = await post('DescribeRooms', {});
    expect(rooms.json.Response.Rooms).toContainEqual(expect.objectContaining({ RoomId: room, Users: 1, Mode: 'rtc' }));
    const users = await post('DescribeRoomUsers', { RoomId: room });
    expect(users.json.Response.Users).toEqual([
      expect.objectContaining({ UserId: 'listed', Role: 'anchor', Online: true }),
    ]);
    expect((await post('DescribeRoomUsers', { RoomId: 999999 })).status).toBe(404);
    a.client.close();
  });

  test('RemoveUser gives client-banned (banned); DismissRoom gives client-banned (room-disband) to all', async () => {
    const room = newRoom();
    const a = await joined(server, 'ra', room);
    const b = await joined(server, 'rb', room);
    const c = await joined(server, 'rc', room);
    const removed = await post('RemoveUser', { RoomId: room, UserIds: ['rb'] });
    expect(removed.json.Response.RemovedUserIds).toEqual(['rb']);
    expect((await b.client.waitEvent('client-banned')).data.reason).toBe('banned');
    await a.client.waitEvent('peer-leave', (d) => d.userId === 'rb');
    expect((await post('RemoveUser', { RoomId: room, UserIds: ['nobody'] })).json.Response.Error.Code).toBe(
      'FailedOperation.UserNotExist',
    );
    expect((await post('RemoveUser', { RoomId: 999998, UserIds: ['rb'] })).json.Response.Error.Code).toBe(
      'FailedOperation.RoomNotExist',
    );
    expect((await post('DismissRoom', { RoomId: room })).status).toBe(200);
    expect((await a.client.waitEvent('client-banned')).data.reason).toBe('room-disband');
    expect((await c.client.waitEvent('client-banned')).data.reason).toBe('room-disband');
    expect((await post('DescribeRoomUsers', { RoomId: room })).status).toBe(404);
    const s = await joined(server, 'sr', 'strroom');
    expect((await post('DismissRoomByStrRoomId', { RoomId: 'strroom' })).status).toBe(200);
    expect((await s.client.waitEvent('client-banned')).data.reason).toBe('room-disband');
  });
});

describe('event callbacks', () => {
  test('room events 101, 103, 104, 102 arrive signed with Sign = base64(HMAC-SHA256(key, body))', async () => {
    const room = newRoom();
    const a = await joined(server, 'hooked', room);
    await a.client.ok('leave');
    const created = await waitHook((h) => h.json.EventType === 101 && h.json.EventInfo.RoomId === room);
    const entered = await waitHook((h) => h.json.EventType === 103 && h.json.EventInfo.RoomId === room);
    const exited = await waitHook((h) => h.json.EventType === 104 && h.json.EventInfo.RoomId === room);
    const dismissed = await waitHook((h) => h.json.EventType === 102 && h.json.EventInfo.RoomId === room);
    for (const h of [created, entered, exited, dismissed]) {
      expect(h.sign).toBe(signBody('cbkey123', h.body));
      expect(h.appId).toBe(String(SDK_APP_ID));
      expect(h.json.EventGroupId).toBe(1);
    }
    expect(entered.json.EventInfo).toMatchObject({ UserId: 'hooked', Role: 20, Reason: 1, UserType: 1 });
    expect(exited.json.EventInfo).toMatchObject({ UserId: 'hooked', Reason: 1 });
    expect(entered.json.EventInfo.EventMsTs).toEqual(expect.any(Number));
    a.client.close();
  });

  test('role change (105) and a failed delivery is retried', async () => {
    const room = newRoom();
    failNextHooks = 1;
    const a = await joined(server, 'roler', room, { mode: 'live', role: 'audience' });
    await a.client.ok('switchRole', { role: 'anchor' });
    const h = await waitHook((x) => x.json.EventType === 105 && x.json.EventInfo.RoomId === room);
    expect(h.json.EventInfo).toMatchObject({ UserId: 'roler', Role: 20 });
    // 101 was the one answered with 500; the immediate retry delivered it.
    await waitHook((x) => x.json.EventType === 101 && x.json.EventInfo.RoomId === room);
    a.client.close();
  });
});

describe('HTTP', () => {
  test('/health without Janus reports janus: disabled', async () => {
    const res = await fetch(`${server.http}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', janus: 'disabled' });
  });

  test('/dev/usersig is off unless asked for, and refused on a non-loopback host', async () => {
    expect((await fetch(`${server.http}/dev/usersig?userId=a`)).status).toBe(404);
    await expect(startServer(['--no-janus', '--dev-usersig', '--host', '0.0.0.0'])).rejects.toThrow(/refused/);
    const dev = await startServer(['--no-janus', '--dev-usersig']);
    const body = (await (await fetch(`${dev.http}/dev/usersig?userId=a&roomId=5&privileges=42`)).json()) as Record<
      string,
      unknown
    >;
    expect(body).toMatchObject({ sdkAppId: SDK_APP_ID, userId: 'a' });
    expect(JSON.stringify(body)).not.toContain(KEY);
    const c = await Client.connect(dev.ws);
    await c.ok('join', { sdkAppId: SDK_APP_ID, userId: 'a', userSig: body.userSig, roomId: 5 });
    c.close();
    await dev.stop();
  });

  test('upgrade to anything but /rtc is refused', async () => {
    const WebSocket = (await import('ws')).default;
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/janus`);
    const err = await new Promise<Error>((r) => ws.on('error', r));
    expect(err.message).toMatch(/404/);
  });
});
