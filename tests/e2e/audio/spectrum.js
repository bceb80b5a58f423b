/* global AudioContext */
// Measures a track at the receiving end with a plain Web Audio AnalyserNode (independent of the
// SDK's own meter): the magnitude, in dB, at given frequencies against the median of the spectrum.
(() => {
  let ctx;
  window.spectrum = async (track, freqs, ms = 1500) => {
    ctx ??= new AudioContext();
    await ctx.resume();
    const src = ctx.createMediaStreamSource(new MediaStream([track]));
    const an = ctx.createAnalyser();
    an.fftSize = 8192;
    an.smoothingTimeConstant = 0;
    src.connect(an);
    const bins = new Float32Array(an.frequencyBinCount);
    const sum = new Float64Array(an.frequencyBinCount);
    const rounds = Math.max(1, Math.round(ms / 100));
    for (let r = 0; r < rounds; r++) {
      await new Promise((res) => setTimeout(res, 100));
      an.getFloatFrequencyData(bins);
      for (let i = 0; i < bins.length; i++) sum[i] += Math.pow(10, bins[i] / 10);
    }
    src.disconnect();
    const db = Array.from(sum, (p) => 10 * Math.log10(p / rounds + 1e-30));
    const hz = ctx.sampleRate / an.fftSize;
    const sorted = [...db].sort((a, b) => a - b);
    const floor = sorted[Math.floor(sorted.length / 2)];
    // The strongest bin overall, and the level near each frequency asked for (±2 bins).
    let peak = 0;
    for (let i = 1; i < db.length; i++) if (db[i] > db[peak]) peak = i;
    const at = {};
    for (const f of freqs) {
      const c = Math.round(f / hz);
      let m = -Infinity;
      for (let i = Math.max(0, c - 2); i <= c + 2; i++) m = Math.max(m, db[i]);
      at[f] = m - floor;
    }
    return { peakHz: peak * hz, overFloorDb: at, binHz: hz };
  };
})();
