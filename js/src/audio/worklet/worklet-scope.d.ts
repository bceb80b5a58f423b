// Globals of the AudioWorkletGlobalScope (the DOM lib does not declare them), for the processors
// in this folder only; the SDK's main-thread code never uses them.
declare abstract class AudioWorkletProcessor {
  readonly port: MessagePort;
  constructor(options?: AudioWorkletNodeOptions);
}
declare function registerProcessor(
  name: string,
  processorCtor: new (options: AudioWorkletNodeOptions) => AudioWorkletProcessor,
): void;
/** The context's sample rate, in the worklet scope. */
declare const sampleRate: number;
