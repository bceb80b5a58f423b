// A local stream's audio graph: microphone → capture stage (gain, level) → [plugin insert, e.g.
// the AudioMixer] → MediaStreamAudioDestinationNode. The destination's track is what is published
// once the audio needs processing (capture volume ≠ 100 or an insert); until then the raw
// microphone track is published and the graph only measures.
import { getAudioContext } from '../common/audio-context';
import { CaptureNode } from './capture-node';

/** A plugin's audio stage between the capture stage and what is published. */
export interface AudioInsert {
  input: AudioNode;
  output: AudioNode;
}

export class LocalAudioGraph {
  private source?: MediaStreamAudioSourceNode;
  private mic: MediaStreamTrack | null = null;
  private insert_?: AudioInsert;
  private readonly dest: MediaStreamAudioDestinationNode;
  private readonly track_: MediaStreamTrack;
  private disposed = false;

  private constructor(readonly capture: CaptureNode) {
    this.dest = getAudioContext().createMediaStreamDestination();
    this.track_ = this.dest.stream.getAudioTracks()[0]!;
    this.wire();
  }

  static async create(mic: MediaStreamTrack | null, gain: number): Promise<LocalAudioGraph> {
    const graph = new LocalAudioGraph(await CaptureNode.create({ gain }));
    graph.setMic(mic);
    return graph;
  }

  /** The processed track (always enabled; muting disables the microphone track instead). */
  track(): MediaStreamTrack {
    return this.track_;
  }

  insert(): AudioInsert | undefined {
    return this.insert_;
  }

  setMic(track: MediaStreamTrack | null): void {
    if (track === this.mic || this.disposed) return;
    this.source?.disconnect();
    this.source = undefined;
    this.mic = track;
    if (track && track.readyState !== 'ended') {
      this.source = getAudioContext().createMediaStreamSource(new MediaStream([track]));
      this.source.connect(this.capture.input);
    }
  }

  setInsert(insert: AudioInsert | undefined): void {
    if (insert === this.insert_ || this.disposed) return;
    if (this.insert_) this.insert_.output.disconnect(this.dest);
    this.insert_ = insert;
    this.wire();
  }

  private wire(): void {
    this.capture.output.disconnect();
    if (this.insert_) {
      this.capture.output.connect(this.insert_.input);
      this.insert_.output.connect(this.dest);
    } else {
      this.capture.output.connect(this.dest);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.source?.disconnect();
    if (this.insert_) this.insert_.output.disconnect(this.dest);
    this.capture.dispose();
    this.track_.stop();
  }
}
