// Helpers the SDK end-to-end tests (tests/e2e/sdk.spec.ts) call inside the page. Only the SDK's
// public API is used, except `client.createSocket` (an internal hook) to drop the WebSocket.
(() => {
  const events = [];
  const sockets = [];

  async function userSig(userId) {
    const r = await fetch(`/dev/usersig?userId=${encodeURIComponent(userId)}`);
    return (await r.json()).userSig;
  }

  function record(name, client, extra = {}) {
    const names = [
      'stream-added',
      'stream-removed',
      'stream-updated',
      'stream-subscribed',
      'connection-state-changed',
      'peer-join',
      'peer-leave',
      'mute-audio',
      'mute-video',
      'unmute-audio',
      'unmute-video',
      'client-banned',
      'network-quality',
      'audio-volume',
      'sei-message',
      'error',
    ];
    for (const ev of names) {
      client.on(ev, (e) => {
        const data = {};
        if (e && typeof e === 'object') {
          for (const [k, v] of Object.entries(e)) {
            if (k === 'stream' && v) data.stream = { userId: v.getUserId(), type: v.getType ? v.getType() : 'local' };
            else if (k === 'result') data.result = v.map((x) => ({ userId: x.userId, audioVolume: x.audioVolume }));
            else if (k === 'data' && v instanceof ArrayBuffer) data.data = new TextDecoder().decode(v);
            else if (typeof v !== 'function') data[k] = v;
          }
          if (e instanceof TRTC.RtcError) Object.assign(data, { code: e.getCode(), message: e.message });
        }
        events.push({ client: name, event: ev, data, t: Date.now(), ...extra });
      });
    }
  }

  const h = {
    clients: {},
    streams: {},
    events,
    async client(name, opts = {}) {
      const userId = opts.userId ?? name;
      const client = TRTC.createClient({
        mode: 'rtc',
        sdkAppId: 1400000001,
        userId,
        userSig: opts.userSig ?? (await userSig(userId)),
        ...opts.config,
      });
      client.createSocket = (url) => {
        const ws = new WebSocket(url);
        sockets.push({ name, ws });
        return ws;
      };
      record(name, client);
      h.clients[name] = client;
      return client;
    },
    async localStream(name, config = { audio: true, video: true }) {
      const s = TRTC.createStream({ userId: name, ...config });
      await s.initialize();
      h.streams[name] = s;
      return s;
    },
    /** `name` joins `roomId` and publishes camera + microphone; returns the client. */
    async joinAndPublish(name, roomId, opts) {
      const c = await h.client(name, opts);
      await c.join({ roomId });
      await c.publish(await h.localStream(name));
      return c;
    },
    /** `name` joins `roomId`, plays what it subscribes to in #remote, and waits for video there. */
    async joinAndWatch(name, roomId) {
      const c = await h.client(name);
      c.on('stream-subscribed', (e) => e.stream.play('remote'));
      await c.join({ roomId });
      await h.waitVideo('remote');
      return c;
    },
    /** Drops the client's current WebSocket (as a network drop would). */
    dropSocket(name) {
      const open = sockets.filter((s) => s.name === name && s.ws.readyState === 1);
      for (const s of open) s.ws.close();
      return open.length;
    },
    remote(name, userId, type = 'main') {
      return h.remoteStreams[name]?.find((s) => s.getUserId() === userId && s.getType() === type);
    },
    remoteStreams: {},
    trackRemotes(name) {
      const list = [];
      h.remoteStreams[name] = list;
      h.clients[name].on('stream-added', (e) => list.push(e.stream));
      h.clients[name].on('stream-removed', (e) => list.splice(list.indexOf(e.stream), 1));
    },
    count(client, event, pred = () => true) {
      return events.filter((e) => e.client === client && e.event === event && pred(e.data)).length;
    },
    async waitEvent(client, event, pred = () => true, timeoutMs = 15000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const e = events.find((x) => x.client === client && x.event === event && pred(x.data));
        if (e) return e.data;
        if (Date.now() > deadline) {
          const seen = events.filter((x) => x.client === client).map((x) => x.event);
          throw new Error(`${client}: no ${event} within ${timeoutMs} ms (seen: ${seen.join(',')})`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    /** Resolves once the element `id` shows decoded, changing video frames. */
    async waitVideo(id, timeoutMs = 15000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const v = document.querySelector(`#${id} video`);
        if (v && v.videoWidth > 0 && v.getVideoPlaybackQuality().totalVideoFrames > 3 && !v.paused) {
          return { width: v.videoWidth, height: v.videoHeight, frames: v.getVideoPlaybackQuality().totalVideoFrames };
        }
        if (Date.now() > deadline) throw new Error(`no video playing in #${id}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
  window.h = h;
  window.harnessReady = true;

  // ?autoplay=<roomId>: subscribe and play without any user gesture (page.evaluate would count as
  // one), for the autoplay-policy test.
  const autoplayRoom = new URLSearchParams(location.search).get('autoplay');
  if (autoplayRoom) {
    window.autoplayResult = { played: 'pending', errors: [] };
    (async () => {
      const c = await h.client('listener');
      c.on('stream-subscribed', (e) => {
        e.stream.on('error', (err) => window.autoplayResult.errors.push(err.getCode()));
        const report = (played) => {
          window.autoplayResult.played = played;
          // Reported on the console: the test must not evaluate in the page before this (that counts as a gesture).
          setTimeout(() => console.log(`autoplay-result ${JSON.stringify(window.autoplayResult)}`), 100);
        };
        e.stream.play('remote').then(
          () => report('resolved'),
          (err) => report(err.getCode()),
        );
      });
      await c.join({ roomId: Number(autoplayRoom) });
    })().catch((e) => (window.autoplayResult.played = String(e)));
  }
})();
