// A minimal raw Janus client for the call setup benchmark (scripts/bench-call.mjs): the Janus JSON
// API over its WebSocket transport and the VideoRoom plugin, straight from the browser, with no
// room server and no client library. The page is opened twice, as publisher and as subscriber;
// the benchmark script drives both through window.rawBench. Query string: ws (Janus's WebSocket
// URL) and secret (its API secret).

const params = new URLSearchParams(window.location.search);
const JANUS_URL = params.get('ws');
const API_SECRET = params.get('secret');
const KEEPALIVE_MS = 25000;
const REQUEST_TIMEOUT_MS = 10000;

/** The same VideoRoom settings the room server creates its rooms with (server/src/media.ts). */
const ROOM_SETTINGS = {
  permanent: false,
  is_private: true,
  publishers: 100,
  audiocodec: 'opus',
  videocodec: 'vp8,h264,vp9',
  fir_freq: 10,
  notify_joining: false,
  bitrate: 0,
};

const now = () => performance.timeOrigin + performance.now();

/** One Janus session over one WebSocket: transactions, plugin handles and keepalive. */
class JanusSession {
  constructor() {
    this.pending = new Map(); // transaction -> { resolve, reject, timer, async }
    this.handles = new Map(); // handle id -> (message) => void
    this.nextTx = 1;
    this.id = 0;
  }

  async open() {
    await new Promise((resolve, reject) => {
      const ws = new WebSocket(JANUS_URL, 'janus-protocol');
      this.ws = ws;
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new Error(`cannot connect to ${JANUS_URL}`));
      ws.onmessage = (e) => this.onMessage(JSON.parse(e.data));
      ws.onclose = () => {
        for (const p of this.pending.values()) p.reject(new Error('Janus connection closed'));
        this.pending.clear();
      };
    });
    const reply = await this.send({ janus: 'create' });
    this.id = reply.data.id;
    this.keepalive = setInterval(() => {
      this.send({ janus: 'keepalive', session_id: this.id }).catch(() => undefined);
    }, KEEPALIVE_MS);
  }

  /** Sends a request; `async` requests (plugin messages) resolve with their event, not the ack. */
  send(msg, async = false) {
    const transaction = `t${this.nextTx++}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(transaction);
        reject(new Error(`Janus did not answer ${msg.janus} within ${REQUEST_TIMEOUT_MS} ms`));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(transaction, { resolve, reject, timer, async });
      this.ws.send(JSON.stringify({ ...msg, transaction, apisecret: API_SECRET }));
    });
  }

  onMessage(m) {
    const p = m.transaction !== undefined ? this.pending.get(m.transaction) : undefined;
    if (p && !(m.janus === 'ack' && p.async)) {
      this.pending.delete(m.transaction);
      clearTimeout(p.timer);
      if (m.janus === 'error') p.reject(new Error(`Janus error ${m.error.code}: ${m.error.reason}`));
      else p.resolve(m);
      return;
    }
    // Asynchronous events about a handle: plugin events, webrtcup, media, trickle, hangup.
    if (m.sender !== undefined) this.handles.get(m.sender)?.(m);
  }

  async attach(onEvent) {
    const reply = await this.send({ janus: 'attach', plugin: 'janus.plugin.videoroom', session_id: this.id });
    const handle = reply.data.id;
    this.handles.set(handle, onEvent);
    return handle;
  }

  /** A VideoRoom request; rejects on a plugin error (error_code). */
  async message(handle, body, jsep) {
    const msg = { janus: 'message', session_id: this.id, handle_id: handle, body };
    if (jsep) msg.jsep = { type: jsep.type, sdp: jsep.sdp };
    const reply = await this.send(msg, true);
    const data = reply.plugindata?.data ?? {};
    if (typeof data.error_code === 'number') {
      const e = new Error(`VideoRoom error ${data.error_code}: ${data.error}`);
      e.code = data.error_code;
      throw e;
    }
    return { data, jsep: reply.jsep };
  }

  trickle(handle, candidate) {
    return this.send({
      janus: 'trickle',
      session_id: this.id,
      handle_id: handle,
      candidate: candidate ? candidate.toJSON() : { completed: true },
    });
  }

  async destroy() {
    clearInterval(this.keepalive);
    if (this.ws.readyState === WebSocket.OPEN) {
      await this.send({ janus: 'destroy', session_id: this.id }).catch(() => undefined);
      this.ws.close();
    }
  }
}

/** A PeerConnection whose remote ICE candidates (trickled by Janus) wait for the remote description. */
function peerConnection(session, handle) {
  const pc = new RTCPeerConnection();
  const queued = [];
  let remoteSet = false;
  pc.onicecandidate = (e) => session.trickle(handle, e.candidate).catch(() => undefined);
  return {
    pc,
    async setRemote(jsep) {
      await pc.setRemoteDescription({ type: jsep.type, sdp: jsep.sdp });
      remoteSet = true;
      for (const c of queued.splice(0)) await pc.addIceCandidate(c).catch(() => undefined);
    },
    onJanusTrickle(c) {
      const init =
        !c || c.completed ? null : { candidate: c.candidate, sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex };
      if (!init) return;
      if (remoteSet) pc.addIceCandidate(init).catch(() => undefined);
      else queued.push(init);
    },
  };
}

/** Creates the room with the room server's settings; "already exists" (427) is fine. */
async function ensureRoom(session, handle, room) {
  try {
    await session.message(handle, { request: 'create', room, ...ROOM_SETTINGS });
  } catch (e) {
    if (e.code !== 427) throw e;
  }
}

function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const state = { stream: null, session: null, pc: null, firstFrame: null, video: null };

window.rawBench = {
  /** Publisher, untimed: camera and microphone (640x480 from the fake devices). */
  async capture() {
    state.stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480 } });
  },

  /**
   * Subscriber, untimed: a session in `room` that listens to the room's publisher announcements
   * (a publisher handle that never publishes). When a feed is announced it attaches a subscriber
   * handle, answers Janus's offer, starts, and records the first video frame it renders.
   */
  async prepareSubscriber(room) {
    const session = new JanusSession();
    state.session = session;
    state.firstFrame = deferred();
    state.firstFrame.promise.catch(() => undefined);
    await session.open();
    const subscribe = async (feed) => {
      let peer;
      const handle = await session.attach((m) => {
        if (m.janus === 'trickle') peer?.onJanusTrickle(m.candidate);
      });
      peer = peerConnection(session, handle);
      state.pc = peer.pc;
      peer.pc.ontrack = (e) => {
        if (e.track.kind !== 'video') return;
        const video = document.createElement('video');
        video.muted = true;
        video.playsInline = true;
        video.autoplay = true;
        video.srcObject = new MediaStream([e.track]);
        document.body.append(video);
        state.video = video;
        video.requestVideoFrameCallback(() => state.firstFrame.resolve(now()));
        video.play().catch(() => undefined);
      };
      const res = await session.message(handle, { request: 'join', ptype: 'subscriber', room, streams: [{ feed }] });
      if (!res.jsep) throw new Error('Janus sent no offer to the subscriber');
      await peer.setRemote(res.jsep);
      const answer = await peer.pc.createAnswer();
      await peer.pc.setLocalDescription(answer);
      await session.message(handle, { request: 'start' }, answer);
    };
    let subscribed = false;
    const onPublishers = (list) => {
      if (subscribed || !Array.isArray(list) || list.length === 0) return;
      subscribed = true;
      subscribe(list[0].id).catch((e) => state.firstFrame.reject(e));
    };
    const watcher = await session.attach((m) => {
      if (m.janus === 'event') onPublishers(m.plugindata?.data?.publishers);
    });
    await ensureRoom(session, watcher, room);
    const joined = await session.message(watcher, { request: 'join', ptype: 'publisher', room, display: 'sub' });
    onPublishers(joined.data.publishers);
  },

  /** Subscriber: when its first video frame was rendered (ms since the epoch). */
  firstFrame() {
    return state.firstFrame.promise;
  },

  /**
   * Publisher, timed. t0: before the WebSocket opens; tPublish: before the publish offer is made;
   * tReady: Janus's webrtcup for the publisher handle.
   */
  async publish(room) {
    const t0 = now();
    const session = new JanusSession();
    state.session = session;
    await session.open();
    const up = deferred();
    let peer;
    const handle = await session.attach((m) => {
      if (m.janus === 'trickle') peer?.onJanusTrickle(m.candidate);
      else if (m.janus === 'webrtcup') up.resolve(now());
      else if (m.janus === 'hangup') up.reject(new Error(`publisher hangup: ${m.reason}`));
    });
    await ensureRoom(session, handle, room);
    await session.message(handle, { request: 'join', ptype: 'publisher', room, display: 'pub' });
    const tPublish = now();
    peer = peerConnection(session, handle);
    state.pc = peer.pc;
    for (const track of state.stream.getTracks()) {
      peer.pc.addTransceiver(track, { direction: 'sendonly', streams: [state.stream] });
    }
    const offer = await peer.pc.createOffer();
    await peer.pc.setLocalDescription(offer);
    const res = await session.message(handle, { request: 'publish', audio: true, video: true }, offer);
    if (!res.jsep) throw new Error('Janus sent no answer to the publisher');
    await peer.setRemote(res.jsep);
    const tReady = await up.promise;
    return { t0, tPublish, tReady };
  },

  /**
   * Either side, untimed: closes the PeerConnection, destroys the room and the session (which hangs
   * up and detaches every handle), stops the camera.
   */
  async cleanup(room) {
    const session = state.session;
    state.pc?.close();
    state.video?.remove();
    state.stream?.getTracks().forEach((t) => t.stop());
    if (session) {
      const handle = await session.attach(() => undefined).catch(() => 0);
      if (handle) await session.message(handle, { request: 'destroy', room }).catch(() => undefined);
      await session.destroy();
    }
    Object.assign(state, { stream: null, session: null, pc: null, firstFrame: null, video: null });
  },
};
window.rawBenchReady = true;
