// What a plugin keeps of the SDK after TRTC.registerPlugin() called its static `install`: the
// SDK's RtcError, ErrorCode, log and AudioContext (so a plugin bundle has no second copy of them).
import type { RtcError } from '../errors';
import type { PluginSdk } from '../plugin';

export class InstalledSdk {
  private sdk: PluginSdk | undefined;

  constructor(private readonly plugin: string) {}

  /** Called from the plugin's static `install`. */
  set(sdk: PluginSdk): void {
    this.sdk = sdk;
  }

  /** The SDK's parts, when the plugin was registered (undefined before). */
  peek(): PluginSdk | undefined {
    return this.sdk;
  }

  /** The SDK's parts; throws (plainly: there is no RtcError yet) if the plugin was never registered. */
  get(): PluginSdk {
    if (!this.sdk) throw new Error(`${this.plugin}: call TRTC.registerPlugin(${this.plugin}) first`);
    return this.sdk;
  }

  /** An INVALID_PARAMETER RtcError, "`where`: `message`". */
  invalid(where: string, message: string): RtcError {
    const s = this.get();
    return new s.RtcError({ code: s.ErrorCode.INVALID_PARAMETER, message: `${where}: ${message}` });
  }
}
