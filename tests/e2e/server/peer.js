// A test peer for the room server: the signaling protocol (docs/protocol.md) plus browser WebRTC,
// without the SDK. Playwright drives it inside Chromium with fake devices.

export class Peer {
  constructor(url) {
    this.url = url;
    this.nextId = 1;
    this.pending = new Map();
    this.events = [];
    this.waiters = [];
    this.pubs = new Map(); // streamType -> { pc, stream, dc, remoteSet, queued }
    this.sub = null; // { pc, remoteSet, queued, tracks: Map<mid, track>, streams: [] , dc, messages: [] }
    this.closed = null;
  }

  connect() {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url);
      this.ws = ws;
      ws.onmessage = (e) => this.onMessage(JSON.parse(e.data));
      ws.onclose = (e) => {
        this.closed = { code: e.code, reason: e.reason };
        for (const p of this.pending.values()) p.reject({ code: -1, message: 'closed' });
        this.pending.clear();
        this.push({ event: 'closed', data: this.closed });
      };
      ws.onerror = () => reject(new Error('websocket error'));
      this.waitEvent('welcome', 5000).then(resolve, reject);
    });
  }

  /** Drops the WebSocket without leaving (simulates a network drop). */
  drop() {
    this.ws.close();
  }

  request(method, params) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  onMessage(m) {
    if (m.id !== undefined && this.pending.has(m.id)) {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.error) p.reject(m.error);
      else p.resolve(m.result);
      return;
    }
    if (m.event) {
      if (m.event === 'trickle') this.onTrickle(m.data);
      if (m.event === 'subscriber-offer') this.answerSubscriber(m.data).catch((e) => console.error(e));
      this.push(m);
    }
  }

  push(m) {
    this.events.push(m);
    for (const w of [...this.waiters]) {
      if (w.name === m.event && w.pred(m.data)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        clearTimeout(w.timer);
        w.resolve(m.data);
      }
    }
  }

  /** Resolves with the data of the first event `name` (already received or future) matching `pred`. */
  waitEvent(name, timeoutMs = 10000, pred = () => true, since = 0) {
    const seen = this.events.slice(since).find((e) => e.event === name && pred(e.data));
    if (seen) return Promise.resolve(seen.data);
    return new Promise((resolve, reject) => {
      const w = { name, pred, resolve };
      w.timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`no ${name} event within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  eventNames() {
    return this.events.map((e) => e.event);
  }

  onTrickle({ target, candidate }) {
    const t = target === 'sub' ? this.sub : this.pubs.get(target);
    if (!t) return;
    if (!t.remoteSet) t.queued.push(candidate);
    else if (candidate) t.pc.addIceCandidate(candidate).catch(() => undefined);
  }

  static flush(t) {
    t.remoteSet = true;
    for (const c of t.queued) if (c) t.pc.addIceCandidate(c).catch(() => undefined);
    t.queued = [];
  }

  async join(params) {
    return this.request('join', params);
  }

  async publish(streamType = 'main', { audio = true, video = true, simulcast = false } = {}) {
    let stream;
    if (streamType === 'aux') {
      const canvas = document.createElement('canvas');
      canvas.width = 320;
      canvas.height = 240;
      const ctx = canvas.getContext('2d');
      let n = 0;
      const draw = () => {
        ctx.fillStyle = `hsl(${n++ % 360} 80% 50%)`;
        ctx.fillRect(0, 0, 320, 240);
      };
      draw();
      setInterval(draw, 50);
      stream = canvas.captureStream(15);
    } else {
      stream = await navigator.mediaDevices.getUserMedia({ audio, video: video ? { width: 640, height: 480 } : false });
    }
    const pc = new RTCPeerConnection();
    const t = { pc, stream, remoteSet: false, queued: [] };
    this.pubs.set(streamType, t);
    for (const track of stream.getTracks()) {
      const init = { direction: 'sendonly', streams: [stream] };
      if (track.kind === 'video' && simulcast) {
        init.sendEncodings = [
          { rid: 'h', active: true },
          { rid: 'm', active: true, scaleResolutionDownBy: 2 },
          { rid: 'l', active: true, scaleResolutionDownBy: 4 },
        ];
      }
      pc.addTransceiver(track, init);
    }
    t.dc = pc.createDataChannel('trtc');
    pc.onicecandidate = (e) =>
      this.request('trickle', { target: streamType, candidate: e.candidate ? e.candidate.toJSON() : null }).catch(
        () => undefined,
      );
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    const res = await this.request('publish', { streamType, sdp: offer.sdp, audio, video });
    await pc.setRemoteDescription({ type: 'answer', sdp: res.sdp });
    Peer.flush(t);
    await this.waitEvent('published', 15000, (d) => d.streamType === streamType);
    return { connectionState: pc.connectionState };
  }

  async unpublish(streamType = 'main') {
    const t = this.pubs.get(streamType);
    await this.request('unpublish', { streamType });
    if (t) {
      t.pc.close();
      t.stream.getTracks().forEach((tr) => tr.stop());
    }
    this.pubs.delete(streamType);
  }

  /** Forgets local publishing state (after media-reset the server has dropped it). */
  resetLocal() {
    for (const t of this.pubs.values()) {
      t.pc.close();
      t.stream.getTracks().forEach((tr) => tr.stop());
    }
    this.pubs.clear();
    if (this.sub) this.sub.pc.close();
    this.sub = null;
  }

  sendData(streamType, text) {
    this.pubs.get(streamType).dc.send(text);
  }

  ensureSub() {
    if (this.sub) return this.sub;
    const pc = new RTCPeerConnection();
    const s = { pc, remoteSet: false, queued: [], tracks: new Map(), streams: [], messages: [] };
    pc.ontrack = (e) => s.tracks.set(e.transceiver.mid, e.track);
    pc.onicecandidate = (e) =>
      this.request('trickle', { target: 'sub', candidate: e.candidate ? e.candidate.toJSON() : null }).catch(
        () => undefined,
      );
    // Janus relays data only to subscribers that open their own channel.
    s.dc = pc.createDataChannel('trtc');
    pc.ondatachannel = (e) => {
      e.channel.onmessage = (m) => s.messages.push(String(m.data));
    };
    s.dc.onmessage = (m) => s.messages.push(String(m.data));
    this.sub = s;
    return s;
  }

  async answerSubscriber(res) {
    const s = this.ensureSub();
    s.streams = res.streams;
    if (!res.sdp) return;
    await s.pc.setRemoteDescription({ type: 'offer', sdp: res.sdp });
    const answer = await s.pc.createAnswer();
    await s.pc.setLocalDescription(answer);
    await this.request('subscriberAnswer', { sdp: answer.sdp });
    Peer.flush(s);
  }

  async subscribe(userId, streamType = 'main', opts = {}) {
    this.ensureSub();
    const res = await this.request('subscribe', { userId, streamType, ...opts });
    await this.answerSubscriber(res);
    return res.streams;
  }

  async unsubscribe(userId, streamType = 'main') {
    const res = await this.request('unsubscribe', { userId, streamType });
    await this.answerSubscriber(res);
    return res.streams;
  }

  /**
   * ICE restart (protocol `restartIce`). A publication ("main"/"aux") makes a new offer with
   * iceRestart on its PeerConnection and applies Janus's answer; the subscriber ("sub") gets Janus's
   * restart offer and answers it with subscriberAnswer. Janus's candidates are queued meanwhile.
   */
  async restartIce(target) {
    const t = target === 'sub' ? this.sub : this.pubs.get(target);
    if (!t) throw new Error(`no ${target} connection`);
    t.remoteSet = false;
    try {
      if (target === 'sub') {
        const res = await this.request('restartIce', { target });
        await this.answerSubscriber(res);
        return res;
      }
      const offer = await t.pc.createOffer({ iceRestart: true });
      await t.pc.setLocalDescription(offer);
      let res;
      try {
        res = await this.request('restartIce', { target, sdp: offer.sdp });
      } catch (e) {
        await t.pc.setLocalDescription({ type: 'rollback' });
        throw e;
      }
      await t.pc.setRemoteDescription({ type: 'answer', sdp: res.sdp });
      return res;
    } finally {
      Peer.flush(t);
    }
  }

  /** Inbound RTP stats per kind for the m-lines that carry `userId`'s `streamType`. */
  async inbound(userId, streamType = 'main') {
    if (!this.sub) return { audio: null, video: null };
    const mids = new Set(
      this.sub.streams.filter((s) => s.active && s.userId === userId && s.streamType === streamType).map((s) => s.mid),
    );
    const out = { audio: null, video: null };
    const stats = await this.sub.pc.getStats();
    stats.forEach((r) => {
      if (r.type === 'inbound-rtp' && mids.has(r.mid)) {
        out[r.kind] = {
          packetsReceived: r.packetsReceived,
          bytesReceived: r.bytesReceived,
          framesDecoded: r.framesDecoded,
          frameWidth: r.frameWidth,
          totalAudioEnergy: r.totalAudioEnergy,
        };
      }
    });
    return out;
  }

  /** Waits until video frames and audio packets of `userId` keep arriving. */
  async waitMedia(userId, streamType = 'main', { audio = true, video = true, timeoutMs = 15000 } = {}) {
    const deadline = Date.now() + timeoutMs;
    let first = null;
    for (;;) {
      const s = await this.inbound(userId, streamType);
      const ok =
        (!video || (s.video && s.video.framesDecoded > 0)) && (!audio || (s.audio && s.audio.packetsReceived > 0));
      if (ok) {
        if (!first) first = s;
        else if (
          (!video || s.video.framesDecoded > first.video.framesDecoded) &&
          (!audio || s.audio.packetsReceived > first.audio.packetsReceived)
        ) {
          return s;
        }
      }
      if (Date.now() > deadline) throw new Error(`no media from ${userId}/${streamType}: ${JSON.stringify(s)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
