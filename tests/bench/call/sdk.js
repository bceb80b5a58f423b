// The SDK side of the call setup benchmark (scripts/bench-call.mjs): the same two measurements as
// raw-janus.js, through the TRTC v4 API of dist/trtc.umd.js and the room server. The page is
// opened twice, as publisher and as subscriber; the benchmark script drives both through
// window.sdkBench. Query string: server (the room server's ws://…/rtc URL).

const SERVER_URL = new URLSearchParams(window.location.search).get('server');

const now = () => performance.timeOrigin + performance.now();

function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A client with a UserSig from the room server's development endpoint. */
async function createClient(userId) {
  const res = await fetch(`/dev/usersig?userId=${encodeURIComponent(userId)}`);
  if (!res.ok) throw new Error(`GET /dev/usersig: HTTP ${res.status}`);
  const { userSig, sdkAppId } = await res.json();
  return TRTC.createClient({ mode: 'rtc', sdkAppId, userId, userSig, serverUrl: SERVER_URL, autoSubscribe: true });
}

const state = { client: null, stream: null, firstFrame: null, video: null };

/** Runs an untimed clean-up step; an SDK error there is reported, not thrown. */
async function attempt(warnings, what, fn) {
  try {
    await fn();
  } catch (e) {
    warnings.push(`${what}: ${e?.message ?? e}${e?.getCode ? ` (code ${e.getCode()})` : ''}`);
  }
}

window.sdkBench = {
  hasClientApi() {
    return typeof window.TRTC?.createClient === 'function' && typeof window.TRTC?.createStream === 'function';
  },

  /** Publisher, untimed: the client and a captured local stream (camera start-up is not measured). */
  async capture(userId) {
    state.client = await createClient(userId);
    state.stream = TRTC.createStream({ userId, audio: true, video: true });
    await state.stream.initialize();
  },

  /** Subscriber, untimed: joins `room` and records the first frame of the first stream it gets. */
  async prepareSubscriber(userId, room) {
    const client = await createClient(userId);
    state.client = client;
    state.firstFrame = deferred();
    state.firstFrame.promise.catch(() => undefined);
    client.on('stream-subscribed', (e) => {
      const track = e.stream.getVideoTrack();
      if (!track || state.video) return;
      const video = document.createElement('video');
      video.muted = true;
      video.playsInline = true;
      video.autoplay = true;
      video.srcObject = new MediaStream([track]);
      document.body.append(video);
      state.video = video;
      video.requestVideoFrameCallback(() => state.firstFrame.resolve(now()));
      video.play().catch(() => undefined);
    });
    client.on('error', (e) => state.firstFrame.reject(new Error(`client error: ${e?.message ?? e}`)));
    await client.join({ roomId: room });
  },

  /** Subscriber: when its first video frame was rendered (ms since the epoch). */
  firstFrame() {
    return state.firstFrame.promise;
  },

  /** Publisher, timed. t0: before join; tPublish: before publish; tReady: publish resolved. */
  async publish(room) {
    const t0 = now();
    await state.client.join({ roomId: room });
    const tPublish = now();
    await state.client.publish(state.stream);
    const tReady = now();
    return { t0, tPublish, tReady };
  },

  /** Either side, untimed: unpublish, leave, close the local stream. Returns SDK errors seen. */
  async cleanup() {
    const warnings = [];
    const { client, stream } = state;
    if (client && stream) await attempt(warnings, 'client.unpublish', () => client.unpublish(stream));
    if (client) await attempt(warnings, 'client.leave', () => client.leave());
    if (stream) await attempt(warnings, 'stream.close', () => stream.close());
    state.video?.remove();
    Object.assign(state, { client: null, stream: null, firstFrame: null, video: null });
    return warnings;
  },
};
window.sdkBenchReady = true;
