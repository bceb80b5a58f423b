// The room server with real Janus and real WebRTC peers: Chromium with fake camera/microphone runs
// tests/e2e/server/peer.js (the signaling protocol plus RTCPeerConnection, no SDK).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { expect, test, type Page } from '@playwright/test';

const PORT = Number(process.env.TRTC_E2E_MEDIA_PORT ?? 8096);
const BASE = `http://127.0.0.1:${PORT}`;
const APP = 1400000001;
const KEY = 'e2e-secret-key-0123456789abcdef';
const CB_KEY = 'e2ecallbackkey';

let server: ChildProcess;
let hookServer: Server;
const hooks: { body: string; sign?: string; json: { EventType: number; EventInfo: Record<string, unknown> } }[] = [];

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  hookServer = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      hooks.push({ body, sign: req.headers.sign as string, json: JSON.parse(body) });
      res.end('{"code":0}');
    });
  });
  await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', r));
  const hookPort = (hookServer.address() as AddressInfo).port;
  server = spawn(
    process.execPath,
    [
      'build/server/index.js',
      '--port',
      String(PORT),
      '--sdk-app-id',
      String(APP),
      '--secret-key',
      KEY,
      '--dev-usersig',
      '--grace-seconds',
      '4',
      '--static',
      '/peer=tests/e2e/server',
      '--callback-url',
      `http://127.0.0.1:${hookPort}/`,
      '--callback-key',
      CB_KEY,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    server.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('listening on')) resolve();
    });
    server.once('exit', (c) => reject(new Error(`room server exited ${c}: ${out}`)));
  });
});

test.afterAll(async () => {
  const exited = new Promise((r) => server.once('exit', r));
  server.kill('SIGTERM');
  await exited;
  hookServer.close();
});

async function openPeers(page: Page, ids: string[], roomId: number | string, extra: Record<string, unknown> = {}) {
  await page.goto(`${BASE}/peer/index.html`);
  await page.waitForFunction(() => (window as any).peerReady === true);
  await page.evaluate(
    async ({ ids, roomId, extra, app, port }) => {
      const w = window as any;
      for (const id of ids) {
        const { userSig } = await (await fetch(`/dev/usersig?userId=${id}`)).json();
        const p = new w.Peer(`ws://127.0.0.1:${port}/rtc`);
        await p.connect();
        p.joinResult = await p.join({
          sdkAppId: app,
          userId: id,
          userSig,
          roomId,
          useStringRoomId: typeof roomId === 'string',
          ...extra,
        });
        w.peers[id] = p;
      }
    },
    { ids, roomId, extra, app: APP, port: PORT },
  );
}

/** Runs `fn` in the page with `peers` in scope. */
function inPage<T>(page: Page, fn: string): Promise<T> {
  return page.evaluate(`(async () => { const peers = window.peers; ${fn} })()`) as Promise<T>;
}

function janusPid(): number {
  return Number(
    execFileSync('pgrep', ['-P', String(server.pid), '-x', 'janus'])
      .toString()
      .trim(),
  );
}

test('two users publish and receive each other: audio, video, data channel, mute state, webhooks', async ({ page }) => {
  await openPeers(page, ['alice', 'bob'], 3001);
  const r = await inPage<any>(
    page,
    `
    const { alice, bob } = peers;
    await alice.publish('main');
    await bob.publish('main');
    await alice.waitEvent('stream-added', 10000, (d) => d.userId === 'bob');
    await bob.waitEvent('stream-added', 10000, (d) => d.userId === 'alice');
    await bob.subscribe('alice');
    await alice.subscribe('bob');
    const atBob = await bob.waitMedia('alice');
    const atAlice = await alice.waitMedia('bob');
    alice.sendData('main', 'over-the-data-channel');
    const t0 = Date.now();
    while (!bob.sub.messages.includes('over-the-data-channel') && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 50));
    await alice.request('mute', { kind: 'video', muted: true });
    const muted = await bob.waitEvent('mute-state', 5000, (d) => d.userId === 'alice' && d.videoMuted);
    await alice.request('mute', { kind: 'video', muted: false });
    const unmuted = await bob.waitEvent('mute-state', 5000, (d) => d.userId === 'alice' && !d.videoMuted);
    return { atBob, atAlice, messages: bob.sub.messages, muted, unmuted };
  `,
  );
  expect(r.atBob.video.framesDecoded).toBeGreaterThan(0);
  expect(r.atBob.audio.packetsReceived).toBeGreaterThan(0);
  expect(r.atAlice.video.framesDecoded).toBeGreaterThan(0);
  expect(r.atAlice.video.frameWidth).toBe(640);
  expect(r.messages).toContain('over-the-data-channel');
  expect(r.muted).toMatchObject({ userId: 'alice', streamType: 'main', videoMuted: true, audioMuted: false });
  expect(r.unmuted.videoMuted).toBe(false);
  // Media webhooks: start video/audio for both, stop video on mute; all signed.
  await expect
    .poll(() =>
      hooks
        .filter((h) => h.json.EventInfo.RoomId === 3001)
        .map((h) => h.json.EventType)
        .sort(),
    )
    .toEqual(expect.arrayContaining([101, 103, 103, 201, 201, 202, 203, 203]));
  for (const h of hooks) {
    expect(h.sign).toBe(createHmac('sha256', CB_KEY).update(h.body).digest('base64'));
  }
});

test('screen share (aux) and the small simulcast layer; unsubscribe; leave', async ({ page }) => {
  await openPeers(page, ['teacher', 'student'], 'class-a');
  const r = await inPage<any>(
    page,
    `
    const { teacher, student } = peers;
    await teacher.publish('main', { simulcast: true });
    await teacher.publish('aux', { audio: false });
    await student.waitEvent('stream-added', 10000, (d) => d.streamType === 'aux');
    const main = await student.waitEvent('stream-added', 10000, (d) => d.streamType === 'main');
    await student.subscribe('teacher', 'aux');
    const aux = await student.waitMedia('teacher', 'aux', { audio: false });
    await student.subscribe('teacher', 'main', { small: true });
    let small;
    for (let i = 0; i < 60; i++) {
      small = await student.waitMedia('teacher', 'main');
      if (small.video.frameWidth && small.video.frameWidth < 640) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    await student.request('setRemoteVideoStreamType', { userId: 'teacher', streamType: 'main', type: 'big' });
    let big;
    for (let i = 0; i < 80; i++) {
      big = await student.inbound('teacher', 'main');
      if (big.video && big.video.frameWidth > small.video.frameWidth) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const streamsAfter = await student.unsubscribe('teacher', 'aux');
    await teacher.request('leave');
    const removed = await student.waitEvent('stream-removed', 5000, (d) => d.streamType === 'main');
    const left = await student.waitEvent('peer-leave', 5000, (d) => d.userId === 'teacher');
    return { main, aux, small, big, streamsAfter, removed, left };
  `,
  );
  expect(r.main).toMatchObject({ hasSmall: true, hasAudio: true, hasVideo: true });
  expect(r.aux.video.framesDecoded).toBeGreaterThan(0);
  expect(r.aux.video.frameWidth).toBe(320);
  // Chromium sends two of the three layers at 640×480; Janus's lowest is the small stream.
  expect(r.small.video.frameWidth).toBeLessThan(640);
  expect(r.big.video.frameWidth).toBeGreaterThan(r.small.video.frameWidth);
  expect(r.streamsAfter.filter((s: any) => s.active && s.streamType === 'aux')).toEqual([]);
  expect(r.left.reason).toBe('leave');
});

test('a dropped connection resumed within the grace period keeps publishing; duplicate userId is kicked', async ({
  page,
}) => {
  await openPeers(page, ['caster', 'viewer'], 3003);
  const r = await inPage<any>(
    page,
    `
    const { caster, viewer } = peers;
    await caster.publish('main');
    await viewer.waitEvent('stream-added', 10000);
    await viewer.subscribe('caster');
    const before = await viewer.waitMedia('caster');
    const token = caster.joinResult.sessionToken;
    caster.drop();
    await new Promise((r) => setTimeout(r, 1500));
    const again = new window.Peer(caster.url);
    await again.connect();
    const snap = await again.request('resume', { sessionToken: token });
    await new Promise((r) => setTimeout(r, 4000));
    const after = await viewer.waitMedia('caster');
    const sawLeave = viewer.eventNames().includes('peer-leave') || viewer.eventNames().includes('stream-removed');
    // Same userId from a new connection: the resumed one is kicked.
    const { userSig } = await (await fetch('/dev/usersig?userId=caster')).json();
    const dup = new window.Peer(caster.url);
    await dup.connect();
    await dup.join({ sdkAppId: ${APP}, userId: 'caster', userSig, roomId: 3003 });
    const banned = await again.waitEvent('client-banned', 5000);
    const removed = await viewer.waitEvent('stream-removed', 5000);
    return { before, after, snap, sawLeave, banned, removed };
  `,
  );
  expect(r.snap.published).toEqual(['main']);
  expect(r.snap.subscribed).toEqual([]);
  expect(r.sawLeave).toBe(false);
  expect(r.after.video.framesDecoded).toBeGreaterThan(r.before.video.framesDecoded);
  expect(r.banned.reason).toBe('kick');
  expect(r.removed).toMatchObject({ userId: 'caster', streamType: 'main' });
});

test('REST DismissRoom during a call bans everyone with room-disband', async ({ page }) => {
  await openPeers(page, ['x1', 'x2'], 3004);
  await inPage(page, `await peers.x1.publish('main'); await peers.x2.waitEvent('stream-added', 10000);`);
  const body = JSON.stringify({ RoomId: 3004 });
  const ts = Math.floor(Date.now() / 1000);
  const path = '/v1/admin/DismissRoom';
  const signature = createHmac('sha256', KEY).update(`POST\n${path}\n${ts}\n${body}`).digest('base64');
  const res = await fetch(BASE + path, {
    method: 'POST',
    headers: { Authorization: `TRTC-HMAC-SHA256 Timestamp=${ts}, Signature=${signature}` },
    body,
  });
  expect(res.status).toBe(200);
  const reasons = await inPage<string[]>(
    page,
    `return Promise.all([peers.x1, peers.x2].map(async (p) => (await p.waitEvent('client-banned', 5000)).reason));`,
  );
  expect(reasons).toEqual(['room-disband', 'room-disband']);
});

test('ICE restart of the publisher and the subscriber: new credentials, still connected, media keeps flowing', async ({
  page,
}) => {
  await openPeers(page, ['ice-a', 'ice-b'], 3006);
  const r = await inPage<any>(
    page,
    `
    const a = peers['ice-a'];
    const b = peers['ice-b'];
    await a.publish('main');
    await b.waitEvent('stream-added', 10000, (d) => d.userId === 'ice-a');
    await b.subscribe('ice-a');
    const before = await b.waitMedia('ice-a');
    const pubPc = a.pubs.get('main').pc;
    const subPc = b.sub.pc;
    const ufrag = (desc) => (/^a=ice-ufrag:(\\S+)/m.exec(desc.sdp) || [])[1];
    const creds = () => ({
      pub: { local: ufrag(pubPc.localDescription), remote: ufrag(pubPc.remoteDescription) },
      sub: { local: ufrag(subPc.localDescription), remote: ufrag(subPc.remoteDescription) },
    });
    // The ICE transport really runs on the new credentials (Chromium's transport stats), and is up.
    const transport = async (pc) => {
      let t = null;
      (await pc.getStats()).forEach((s) => {
        if (s.type === 'transport') t = s;
      });
      return t;
    };
    const settled = async (pc, localUfrag) => {
      const end = Date.now() + 15000;
      for (;;) {
        const t = await transport(pc);
        const onNew = !t || t.iceLocalUsernameFragment === undefined || t.iceLocalUsernameFragment === localUfrag;
        if (pc.connectionState === 'connected' && pc.iceConnectionState !== 'checking' && onNew) {
          return { state: pc.connectionState, ice: pc.iceConnectionState, transportUfrag: t && t.iceLocalUsernameFragment };
        }
        if (Date.now() > end) throw new Error('not connected on the new credentials: ' + pc.connectionState + ' ' + JSON.stringify(t));
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const credsBefore = creds();
    const mark = b.events.length;
    const markA = a.events.length;
    const pubReply = await a.restartIce('main');
    const subReply = await b.restartIce('sub');
    const credsAfter = creds();
    const pubState = await settled(pubPc, credsAfter.pub.local);
    const subState = await settled(subPc, credsAfter.sub.local);
    const after = await b.waitMedia('ice-a');
    await new Promise((r) => setTimeout(r, 1000));
    const later = await b.waitMedia('ice-a');
    // Janus's candidates for the new session came as trickle events after the restarts.
    const trickles = {
      main: a.events.slice(markA).filter((e) => e.event === 'trickle' && e.data.target === 'main').length,
      sub: b.events.slice(mark).filter((e) => e.event === 'trickle' && e.data.target === 'sub').length,
    };
    // Trickle towards Janus still works on both connections.
    await a.request('trickle', { target: 'main', candidate: null });
    await b.request('trickle', { target: 'sub', candidate: null });
    return {
      before, after, later, credsBefore, credsAfter, pubState, subState, trickles,
      pubReply: Object.keys(pubReply), subStreams: subReply.streams,
      seenByB: b.events.slice(mark).map((e) => e.event),
      seenByA: a.events.slice(markA).map((e) => e.event),
    };
  `,
  );
  for (const side of ['pub', 'sub'] as const) {
    expect(r.credsBefore[side].local).toBeTruthy();
    expect(r.credsAfter[side].local).toBeTruthy();
    expect(r.credsAfter[side].local).not.toBe(r.credsBefore[side].local);
    // Janus's side of the session restarted too.
    expect(r.credsAfter[side].remote).not.toBe(r.credsBefore[side].remote);
  }
  expect(r.pubState.state).toBe('connected');
  expect(r.subState.state).toBe('connected');
  expect(r.pubReply).toEqual(['sdp']);
  expect(
    r.subStreams
      .filter((s: any) => s.active && s.userId === 'ice-a')
      .map((s: any) => s.kind)
      .sort(),
  ).toEqual(['audio', 'video']);
  expect(r.after.video.framesDecoded).toBeGreaterThan(r.before.video.framesDecoded);
  expect(r.later.video.framesDecoded).toBeGreaterThan(r.after.video.framesDecoded);
  expect(r.later.audio.packetsReceived).toBeGreaterThan(r.after.audio.packetsReceived);
  expect(r.seenByB).not.toContain('stream-removed');
  expect(r.seenByB).not.toContain('stream-added');
  expect(r.seenByB).not.toContain('subscriber-reset');
  expect(r.seenByA).not.toContain('unpublished');
  // Chromium's ICE transports run on the new local credentials.
  if (r.pubState.transportUfrag) expect(r.pubState.transportUfrag).toBe(r.credsAfter.pub.local);
  if (r.subState.transportUfrag) expect(r.subState.transportUfrag).toBe(r.credsAfter.sub.local);
  // Janus sent candidates for the restarted sessions, relayed as trickle events.
  expect(r.trickles.main).toBeGreaterThan(0);
  expect(r.trickles.sub).toBeGreaterThan(0);
});

test('Janus restart: clients are told, republish and receive media again', async ({ page }) => {
  await openPeers(page, ['r1', 'r2'], 3005);
  await inPage(
    page,
    `
    const { r1, r2 } = peers;
    await r1.publish('main');
    await r2.waitEvent('stream-added', 10000);
    await r2.subscribe('r1');
    await r2.waitMedia('r1');
  `,
  );
  const before = janusPid();
  process.kill(before, 'SIGKILL');
  const r = await inPage<any>(
    page,
    `
    const { r1, r2 } = peers;
    const reset = await r1.waitEvent('media-reset', 10000);
    const removed = await r2.waitEvent('stream-removed', 10000);
    await r1.waitEvent('media-ready', 20000);
    await r2.waitEvent('media-ready', 20000);
    const mark = r2.events.length;
    r1.resetLocal();
    r2.resetLocal();
    await r1.publish('main');
    await r2.waitEvent('stream-added', 10000, () => true, mark);
    await r2.subscribe('r1');
    const media = await r2.waitMedia('r1');
    return { reset, removed, media };
  `,
  );
  expect(janusPid()).not.toBe(before);
  expect(r.reset.unpublished).toEqual(['main']);
  expect(r.removed.userId).toBe('r1');
  expect(r.media.video.framesDecoded).toBeGreaterThan(0);
});
