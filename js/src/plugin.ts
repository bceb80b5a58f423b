// Plugins (Beauty, AudioMixer, …): registered once with TRTC.registerPlugin, then started on a
// local stream with localStream.startPlugin(name, options).
import { ErrorCode, RtcError } from './errors';
import { log } from './common/logger';
import type { LocalStream } from './stream/local-stream';

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
}

/** A plugin class: `static Name` and a constructor taking the context. */
export interface PluginClass {
  readonly Name: string;
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
  registry.set(plugin.Name, plugin);
  log.info(`plugin ${plugin.Name} registered`);
}

/** @internal The registered plugin called `name`. */
export function findPlugin(name: string): PluginClass | undefined {
  return registry.get(name);
}
