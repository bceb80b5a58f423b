// One AudioContext per page, created on first use and resumed when the page allows it. It runs at
// the browser's default rate (the output device's): Firefox cannot connect a microphone track to a
// context of another rate. The AudioMixer resamples its sources to whatever rate this is.

let ctx: AudioContext | undefined;

export function getAudioContext(): AudioContext {
  if (!ctx) {
    ctx = new AudioContext({ latencyHint: 'interactive' });
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

/**
 * Measures the level (RMS, 0–1) of an audio track with an AnalyserNode on the main thread. Only
 * where the AudioWorklet capture stage cannot load (see audio/capture-node.ts) and for the
 * pre-call tests' short measurements.
 */
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
    return analyserLevel(this.analyser, this.buf);
  }

  dispose(): void {
    this.source.disconnect();
    this.analyser.disconnect();
  }
}

/** RMS (0–1) of an AnalyserNode's current time-domain window. */
export function analyserLevel(analyser: AnalyserNode, buf: Float32Array<ArrayBuffer>): number {
  analyser.getFloatTimeDomainData(buf);
  let sum = 0;
  for (let i = 0; i < buf.length; i++) sum += buf[i]! * buf[i]!;
  return Math.min(1, Math.sqrt(sum / buf.length));
}
