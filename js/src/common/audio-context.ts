// One AudioContext per page, created on first use and resumed when the page allows it.

let ctx: AudioContext | undefined;

export function getAudioContext(): AudioContext {
  if (!ctx) {
    ctx = new AudioContext();
    const resume = () => {
      if (ctx && ctx.state === 'suspended') void ctx.resume().catch(() => undefined);
    };
    if (typeof document !== 'undefined') {
      document.addEventListener('click', resume, { capture: true });
      document.addEventListener('keydown', resume, { capture: true });
    }
    resume();
  }
  return ctx;
}

/** Measures the level (RMS, 0–1) of an audio track with an AnalyserNode. */
export class TrackLevel {
  private readonly source: MediaStreamAudioSourceNode;
  private readonly analyser: AnalyserNode;
  private readonly buf: Float32Array<ArrayBuffer>;

  constructor(readonly track: MediaStreamTrack) {
    const ac = getAudioContext();
    this.source = ac.createMediaStreamSource(new MediaStream([track]));
    this.analyser = ac.createAnalyser();
    this.analyser.fftSize = 2048;
    this.buf = new Float32Array(this.analyser.fftSize);
    this.source.connect(this.analyser);
  }

  level(): number {
    this.analyser.getFloatTimeDomainData(this.buf);
    let sum = 0;
    for (let i = 0; i < this.buf.length; i++) sum += this.buf[i]! * this.buf[i]!;
    return Math.min(1, Math.sqrt(sum / this.buf.length));
  }

  dispose(): void {
    this.source.disconnect();
    this.analyser.disconnect();
  }
}
