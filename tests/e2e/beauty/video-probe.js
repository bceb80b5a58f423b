// Measures a video track in the page, independently of the SDK: frame rate (frames counted with a
// MediaStreamTrackProcessor, timed by their timestamps) and image statistics of the frames (RGBA
// from VideoFrame.copyTo): mean luma, mean redness (R − G) on the cheek, and skin texture (the
// energy of the luma Laplacian on the face). Regions are fractions of the frame, so they hold at
// any resolution the encoder picks; they are where the face is in skimage's astronaut.png, which
// the test's fake camera shows.
(() => {
  const FACE = { x0: 0.37, x1: 0.53, y0: 0.14, y1: 0.34 };
  const CHEEK = { x0: 0.383, x1: 0.414, y0: 0.207, y1: 0.238 };

  async function frameStats(frame) {
    const w = frame.visibleRect.width,
      h = frame.visibleRect.height;
    const rgba = new Uint8Array(w * h * 4);
    await frame.copyTo(rgba, { format: 'RGBA', colorSpace: 'srgb', layout: [{ offset: 0, stride: w * 4 }] });
    const luma = new Float32Array(w * h);
    let sum = 0;
    for (let i = 0; i < w * h; i++) {
      luma[i] = 0.299 * rgba[4 * i] + 0.587 * rgba[4 * i + 1] + 0.114 * rgba[4 * i + 2];
      sum += luma[i];
    }
    const box = (r) => [Math.round(r.x0 * w), Math.round(r.x1 * w), Math.round(r.y0 * h), Math.round(r.y1 * h)];
    let [x0, x1, y0, y1] = box(CHEEK);
    let red = 0,
      n = 0;
    for (let y = y0; y < y1; y++)
      for (let x = x0; x < x1; x++, n++) red += rgba[4 * (y * w + x)] - rgba[4 * (y * w + x) + 1];
    [x0, x1, y0, y1] = box(FACE);
    let tex = 0,
      m = 0;
    for (let y = Math.max(1, y0); y < Math.min(h - 1, y1); y++)
      for (let x = Math.max(1, x0); x < Math.min(w - 1, x1); x++, m++) {
        const l =
          4 * luma[y * w + x] -
          luma[y * w + x - 1] -
          luma[y * w + x + 1] -
          luma[(y - 1) * w + x] -
          luma[(y + 1) * w + x];
        tex += l * l;
      }
    return { width: w, height: h, luma: sum / (w * h), redness: red / n, texture: tex / m };
  }

  /** Frames of `track` for `ms`: frame rate and the mean statistics of every 5th frame. */
  async function measure(track, ms = 3000) {
    const reader = new MediaStreamTrackProcessor({ track }).readable.getReader();
    const start = performance.now();
    let frames = 0,
      first = null,
      last = null;
    const acc = { luma: 0, redness: 0, texture: 0, n: 0, width: 0, height: 0 };
    try {
      while (performance.now() - start < ms) {
        const { value: f, done } = await reader.read();
        if (done) break;
        try {
          frames++;
          if (first === null) first = f.timestamp;
          last = f.timestamp;
          if (frames % 5 === 0) {
            const s = await frameStats(f);
            acc.luma += s.luma;
            acc.redness += s.redness;
            acc.texture += s.texture;
            acc.n++;
            acc.width = s.width;
            acc.height = s.height;
          }
        } finally {
          f.close();
        }
      }
    } finally {
      await reader.cancel().catch(() => undefined);
    }
    if (acc.n === 0) throw new Error(`only ${frames} frames arrived in ${ms} ms`);
    const seconds = (last - first) / 1e6;
    return {
      fps: seconds > 0 ? (frames - 1) / seconds : 0,
      frames,
      width: acc.width,
      height: acc.height,
      luma: acc.luma / acc.n,
      redness: acc.redness / acc.n,
      texture: acc.texture / acc.n,
    };
  }

  // Every RTCPeerConnection the page makes, and how often each negotiated (setLocalDescription).
  const pcs = [];
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = function (...args) {
    const pc = new Native(...args);
    pc.negotiations = 0;
    const sld = pc.setLocalDescription.bind(pc);
    pc.setLocalDescription = (...a) => {
      pc.negotiations++;
      return sld(...a);
    };
    pcs.push(pc);
    return pc;
  };
  window.RTCPeerConnection.prototype = Native.prototype;

  window.videoProbe = {
    measure,
    /** The tracks the page's connections send, and the negotiation count of each connection. */
    senders: () =>
      pcs.map((pc) => ({
        negotiations: pc.negotiations,
        tracks: pc.getSenders().map((s) => s.track && { id: s.track.id, kind: s.track.kind }),
      })),
  };
})();
