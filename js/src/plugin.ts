// Plugins (Beauty, AudioMixer, …): registered once with TRTC.registerPlugin, then started on a
// local stream with localStream.startPlugin(name, options).
import { ErrorCode, RtcError } from './errors';
import { log } from './common/logger';
import { getAudioContext } from './common/audio-context';
import type { LocalStream } from './stream/local-stream';

/** What TRTC.registerPlugin hands a plugin class's optional static `install`: the SDK's shared parts. */
export interface PluginSdk {
  RtcError: typeof RtcError;
  ErrorCode: typeof ErrorCode;
  log: typeof log;
  /** The page's AudioContext, shared with the streams' audio graphs (one per page). */
  getAudioContext(): AudioContext;
}

/** What a plugin instance gets: its stream and the SDK's error types and log. */
export interface PluginContext {
  stream: LocalStream;
  RtcError: typeof RtcError;
  ErrorCode: typeof ErrorCode;
  log: typeof log;
}

/** A running plugin on one stream. */
export interface PluginInstance {
  start(options: unknown): void | Promise<void>;
  update(options: unknown): void | Promise<void>;
  stop(options?: unknown): void | Promise<void>;
  /** Optional: the stream was unpublished (e.g. the AudioMixer stops its sources). */
  onUnpublish?(): void;
}

/** A plugin class: `static Name` and a constructor taking the context. */
export interface PluginClass {
  readonly Name: string;
  /** Optional: called once by registerPlugin with the SDK's shared parts. */
  install?(sdk: PluginSdk): void;
  /** Optional: startPlugin on a started plugin calls its start() again (e.g. one AudioMixer source per call). */
  readonly multipleStarts?: boolean;
  new (context: PluginContext): PluginInstance;
}

const registry = new Map<string, PluginClass>();

/** Registers a plugin class (`TRTC.registerPlugin(Beauty)`). Registering the same name again replaces it. */
export function registerPlugin(plugin: PluginClass): void {
  if (typeof plugin !== 'function' || typeof plugin.Name !== 'string' || plugin.Name.length === 0) {
    throw new RtcError({
      code: ErrorCode.INVALID_PARAMETER,
      message: 'TRTC.registerPlugin: pass a plugin class with a static `Name`',
    });
  }
  plugin.install?.({ RtcError, ErrorCode, log, getAudioContext });
  registry.set(plugin.Name, plugin);
  log.info(`plugin ${plugin.Name} registered`);
}

/** @internal The registered plugin called `name`. */
export function findPlugin(name: string): PluginClass | undefined {
  return registry.get(name);
}
