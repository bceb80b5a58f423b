// The Client of the TRTC Web SDK v4 API: one membership in a room on the room server, one
// PeerConnection per published stream, one for everything subscribed.
import { Emitter } from '../core/emitter';
import { ErrorCode, RtcError } from '../errors';
import { log, setUploadTarget } from '../common/logger';
import {
  checkBoolean,
  checkNumber,
  checkObject,
  checkOneOf,
  checkOptionalObject,
  checkRoomId,
  checkString,
  checkWebSocketUrl,
  invalidOperation,
  invalidParameter,
  show,
} from '../common/validate';
import { SignalChannel, type ConnectionState, type WebSocketFactory } from '../signal/signal-channel';
import { LocalStream } from '../stream/local-stream';
import { RemoteStream, type RemoteStreamInfo } from '../stream/remote-stream';
import { DEFAULT_SMALL_PROFILE, type VideoProfile } from '../stream/profiles';
import { Publication, type StreamType, type WireCandidate } from './publisher';
import { Subscriber, type SubscriberOffer } from './subscriber';
import { LinkQuality, LinkReader, asQuality, disconnectedSample, num, rttOf } from './quality';
import { loadCore } from '../core/wasm-loader';
import type {
  AudioVolumeEvent,
  ClientConfig,
  ClientEventMap,
  JoinOptions,
  LocalAudioStats,
  LocalVideoStats,
  RemoteAudioStats,
  RemoteMutedState,
  RemoteVideoStats,
  TransportStats,
  TurnServerConfig,
} from './types';

/** What the room server says about a stream (protocol StreamInfo). */
interface StreamInfo extends RemoteStreamInfo {
  userId: string;
  streamType: StreamType;
}

/** The join/resume snapshot (protocol section 4). */
interface Snapshot {
  sessionToken: string;
  role: 'anchor' | 'audience';
  users: { userId: string; role: string }[];
  streams: StreamInfo[];
  published: StreamType[];
  subscribed?: { userId: string; streamType: StreamType }[];
  mediaAvailable: boolean;
}

interface Subscription {
  audio: boolean;
  video: boolean;
  small: boolean;
}

type State = 'idle' | 'joining' | 'joined' | 'leaving';

const key = (userId: string, t: StreamType) => `${userId}\u0000${t}`;
const apiType = (t: StreamType) => (t === 'aux' ? 'auxiliary' : 'main');

const PUBLISH_TIMEOUT_MS = 15_000;
const RECOVERY_ATTEMPTS = 3;

/** The default room server URL: `ws(s)://<page host>/rtc`. */
export function defaultServerUrl(): string | undefined {
  if (typeof location === 'undefined' || !location.host) return undefined;
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/rtc`;
}

/**
 * A call in one room, created by `TRTC.createClient()`: join and leave, publish local streams,
 * subscribe to remote ones, and the events of the room.
 */
export class Client extends Emitter<ClientEventMap> {
  private readonly config: Readonly<ClientConfig> & { autoSubscribe: boolean; enableAutoPlayDialog: boolean };
  private serverUrl: string | undefined;
  private iceServers: RTCIceServer[] = [];
  private signal?: SignalChannel;
  private state: State = 'idle';
  private destroyed = false;
  private role: 'anchor' | 'audience' = 'anchor';
  private readonly users = new Map<string, { role: string }>();
  private readonly remotes = new Map<string, RemoteStream>();
  private readonly publications = new Map<StreamType, Publication>();
  private readonly publishing = new Set<StreamType>();
  /** Streams to publish again after a media reset or a lost publication. */
  private readonly republish = new Map<StreamType, LocalStream>();
  private subscriber?: Subscriber;
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly remoteTypePref = new Map<string, 'big' | 'small'>();
  private readonly publishedWaiters = new Map<StreamType, { resolve: () => void; reject: (e: RtcError) => void }>();
  private smallStream: VideoProfile | null = null;
  private smallProfile: VideoProfile = DEFAULT_SMALL_PROFILE;
  private qualityTimer?: ReturnType<typeof setInterval>;
  private volumeTimer?: ReturnType<typeof setInterval>;
  private volumeInBackground = false;
  private readonly upReader = new LinkReader('uplink');
  private readonly downReader = new LinkReader('downlink');
  private readonly upQuality = new LinkQuality();
  private readonly downQuality = new LinkQuality();
  private coreWarned = false;
  private readonly recovering = new Set<string>();
  private seiWindow = { start: 0, count: 0, bytes: 0 };
  /** @internal For tests: replaces the WebSocket constructor. */
  createSocket?: WebSocketFactory;

  /** @internal Use `TRTC.createClient()`. */
  constructor(config: ClientConfig) {
    super((e, event) => log.error(`a handler of client event '${String(event)}' threw`, e));
    this.config = { autoSubscribe: true, enableAutoPlayDialog: true, ...config };
    this.serverUrl = config.serverUrl ?? defaultServerUrl();
  }

  private assertUsable(where: string): void {
    if (this.destroyed) throw invalidOperation(where, 'the client was destroyed: create a new one');
  }

  private assertJoined(where: string): SignalChannel {
    this.assertUsable(where);
    if (this.state !== 'joined' || !this.signal) throw invalidOperation(where, 'join a room first');
    return this.signal;
  }

  // ---------------------------------------------------------------------------------------------
  // Server and TURN configuration

  /**
   * Sets the room server's WebSocket URL (`ws://` or `wss://`), like `serverUrl` in createClient.
   * TRTC v4's object form `{ websocketProxy }` is accepted too. Call it before join().
   */
  setProxyServer(proxy: string | { websocketProxy?: string }): void {
    const where = 'Client.setProxyServer';
    this.assertUsable(where);
    const url =
      typeof proxy === 'string' ? proxy : proxy && typeof proxy === 'object' ? proxy.websocketProxy : undefined;
    checkWebSocketUrl(where, typeof proxy === 'string' ? 'proxyServer' : 'websocketProxy', url);
    if (this.state !== 'idle') throw invalidOperation(where, 'call it before join()');
    this.serverUrl = url;
  }

  /** Sets the TURN/STUN servers used by this client's PeerConnections. Call it before join(). */
  setTurnServer(config: TurnServerConfig | TurnServerConfig[]): void {
    const where = 'Client.setTurnServer';
    this.assertUsable(where);
    const list = Array.isArray(config) ? config : [config];
    this.iceServers = list.map((entry, i) => {
      checkObject(where, `config[${i}]`, entry);
      const c = entry as TurnServerConfig;
      const urls = c.urls ?? c.url;
      const ok =
        typeof urls === 'string' ||
        (Array.isArray(urls) && urls.length > 0 && urls.every((u) => typeof u === 'string'));
      if (!ok)
        throw invalidParameter(where, `config[${i}] needs \`url\` (or \`urls\`), e.g. 'turn:turn.example.com:3478'`);
      for (const u of typeof urls === 'string' ? [urls] : urls) {
        if (!/^(turns?|stuns?):/i.test(u))
          throw invalidParameter(where, `${show(u)} is not a turn:, turns: or stun: URL`);
      }
      checkString(where, `config[${i}].username`, c.username, { optional: true, nonEmpty: false });
      checkString(where, `config[${i}].credential`, c.credential, { optional: true, nonEmpty: false });
      const server: RTCIceServer = { urls: urls as string | string[] };
      if (c.username !== undefined) server.username = c.username;
      if (c.credential !== undefined) server.credential = c.credential;
      return server;
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Join and leave

  /**
   * Enters a room (created if it does not exist). Rejects with JOIN_ROOM_FAILED and the server's
   * code as `getExtraCode()` (e.g. 70001 expired UserSig, -10012 bad room id), or
   * SIGNAL_CHANNEL_SETUP_FAILED when the room server cannot be reached.
   */
  async join(options: JoinOptions): Promise<void> {
    const where = 'Client.join';
    this.assertUsable(where);
    checkObject(where, 'options', options);
    checkRoomId(where, options.roomId, this.config.useStringRoomId === true);
    checkOneOf(where, 'role', options.role, ['anchor', 'audience']);
    checkString(where, 'privateMapKey', options.privateMapKey, { optional: true, nonEmpty: false, maxBytes: 4096 });
    if (this.state !== 'idle') throw invalidOperation(where, 'already joined or joining: call leave() first');
    if (!this.serverUrl) {
      throw invalidParameter(where, 'no room server URL: pass `serverUrl` to createClient or call setProxyServer()');
    }
    this.state = 'joining';
    const signal = new SignalChannel({
      url: this.serverUrl,
      ...(this.createSocket ? { createSocket: this.createSocket } : {}),
    });
    this.signal = signal;
    this.wireSignal(signal);
    let snapshot: Snapshot;
    try {
      await signal.connect();
      snapshot = await signal.request<Snapshot>('join', {
        protocol: 1,
        sdkAppId: this.config.sdkAppId,
        userId: this.config.userId,
        userSig: this.config.userSig,
        roomId: options.roomId,
        useStringRoomId: this.config.useStringRoomId === true,
        mode: this.config.mode,
        role: options.role ?? 'anchor',
        ...(options.privateMapKey ? { privateMapKey: options.privateMapKey } : {}),
      });
    } catch (e) {
      const aborted = this.signal !== signal;
      if (!aborted) {
        this.signal = undefined;
        this.state = 'idle';
      }
      signal.off('*');
      signal.close();
      if (aborted)
        throw new RtcError({ code: ErrorCode.API_CALL_ABORTED, message: 'join: aborted by leave() or destroy()' });
      log.error(`join room ${String(options.roomId)} failed`, e);
      throw e;
    }
    if (this.signal !== signal || this.state !== 'joining') {
      throw new RtcError({ code: ErrorCode.API_CALL_ABORTED, message: 'join: aborted by leave() or destroy()' });
    }
    signal.setSession(snapshot.sessionToken);
    this.state = 'joined';
    this.role = snapshot.role;
    log.info(`joined room ${String(options.roomId)} as ${this.config.userId} (${snapshot.role})`);
    const http = this.serverUrl.replace(/^ws/i, 'http').replace(/^(https?:\/\/[^/]+).*$/i, '$1');
    setUploadTarget({
      url: `${http}/v1/log`,
      sdkAppId: this.config.sdkAppId,
      userId: this.config.userId,
      userSig: this.config.userSig,
      roomId: options.roomId,
    });
    this.startQualityTimer();
    // Users and streams already in the room are announced like later ones, after join resolves.
    queueMicrotask(() => {
      if (this.signal !== signal) return;
      for (const u of snapshot.users) this.onPeerJoin(u.userId, u.role);
      for (const s of snapshot.streams) this.onStreamAdded(s);
    });
  }

  /** Leaves the room: unpublishes, unsubscribes and closes the connections. Local streams stay usable. */
  async leave(): Promise<void> {
    if (this.state === 'idle' || this.state === 'leaving') return;
    const signal = this.signal;
    this.state = 'leaving';
    if (signal && signal.state === 'CONNECTED') {
      await signal.request('leave', undefined, 3000).catch((e) => log.warn('leave request failed', e));
    }
    this.teardown();
    log.info('left the room');
  }

  /** Releases the client. It cannot be used afterwards (leaves first if needed). */
  destroy(): void {
    if (this.destroyed) return;
    if (this.state !== 'idle') {
      this.signal?.request('leave', undefined, 3000).catch(() => undefined);
      this.teardown();
    }
    this.destroyed = true;
    clearInterval(this.volumeTimer);
    this.volumeTimer = undefined;
    this.off('*');
  }

  /** Drops all room state and connections (after leave, ban, or a failed reconnection). */
  private teardown(): void {
    this.stopQualityTimer();
    const signal = this.signal;
    this.signal = undefined;
    for (const t of [...this.publications.keys()]) this.dropPublication(t, 'DISCONNECTED');
    this.publishing.clear();
    this.republish.clear();
    for (const w of this.publishedWaiters.values()) {
      w.reject(new RtcError({ code: ErrorCode.API_CALL_ABORTED, message: 'publish: aborted by leave' }));
    }
    this.publishedWaiters.clear();
    this.subscriber?.close();
    this.subscriber = undefined;
    this.subscriptions.clear();
    for (const r of this.remotes.values()) {
      r.setTracks(null, null);
      r.setConnectionState('DISCONNECTED');
      r.close();
    }
    this.remotes.clear();
    this.users.clear();
    this.remoteTypePref.clear();
    this.state = 'idle';
    setUploadTarget(undefined);
    if (signal) {
      const prevState = signal.state;
      signal.off('*');
      signal.close();
      if (prevState !== 'DISCONNECTED') this.emit('connection-state-changed', { prevState, state: 'DISCONNECTED' });
    }
  }

  private wireSignal(signal: SignalChannel): void {
    signal.on('state-changed', (e) => {
      if (this.signal !== signal) return;
      this.emit('connection-state-changed', e);
    });
    signal.on('event', ({ name, data }) => {
      if (this.signal !== signal) return;
      try {
        this.onServerEvent(name, (data ?? {}) as Record<string, unknown>);
      } catch (e) {
        log.error(`handling server event ${name} failed`, e);
      }
    });
    signal.on('resumed', (snap) => {
      if (this.signal === signal) void this.onResumed(snap as Snapshot);
    });
    signal.on('failed', (err) => {
      // During join, the failure is join()'s rejection, not an extra 'error' event.
      if (this.signal !== signal || this.state === 'joining') return;
      log.error('the connection to the room server is lost', err);
      this.teardown();
      this.emit('error', err);
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Server events

  private onServerEvent(name: string, d: Record<string, unknown>): void {
    switch (name) {
      case 'peer-join':
        this.onPeerJoin(String(d.userId), String(d.role ?? 'anchor'));
        break;
      case 'peer-leave':
        this.onPeerLeave(String(d.userId));
        break;
      case 'stream-added':
        this.onStreamAdded(d as unknown as StreamInfo);
        break;
      case 'stream-removed':
        this.onStreamRemoved(String(d.userId), d.streamType as StreamType);
        break;
      case 'mute-state':
        this.onMuteState(d as unknown as StreamInfo);
        break;
      case 'trickle': {
        const target = d.target as StreamType | 'sub';
        const c = (d.candidate ?? null) as WireCandidate;
        if (target === 'sub') this.subscriber?.onTrickle(c);
        else this.publications.get(target)?.onTrickle(c);
        break;
      }
      case 'published':
        this.publishedWaiters.get(d.streamType as StreamType)?.resolve();
        break;
      case 'unpublished':
        this.onUnpublished(d.streamType as StreamType, String(d.reason ?? ''));
        break;
      case 'subscriber-offer':
        if (this.subscriber) {
          this.subscriber
            .apply(d as SubscriberOffer)
            .then(() => this.refreshRemoteTracks())
            .catch((e) => log.warn('answering a subscriber offer failed', e));
        }
        break;
      case 'subscriber-reset':
        log.warn(`the subscriber connection was reset (${String(d.reason)}): subscribing again`);
        void this.resubscribeAll();
        break;
      case 'custom-message':
        this.onCustomMessage(d);
        break;
      case 'client-banned':
        this.onBanned(String(d.reason ?? 'kick'), String(d.message ?? ''));
        break;
      case 'media-reset':
        this.onMediaReset();
        break;
      case 'media-ready':
        void this.republishAll();
        break;
      default:
        log.debug(`unknown server event ${name}`);
    }
  }

  private onPeerJoin(userId: string, role: string): void {
    if (userId === this.config.userId || this.users.has(userId)) return;
    this.users.set(userId, { role });
    this.emit('peer-join', { userId });
  }

  private onPeerLeave(userId: string): void {
    for (const t of ['main', 'aux'] as const) if (this.remotes.has(key(userId, t))) this.onStreamRemoved(userId, t);
    if (this.users.delete(userId)) this.emit('peer-leave', { userId });
  }

  private onStreamAdded(info: StreamInfo): void {
    if (info.userId === this.config.userId) return;
    const k = key(info.userId, info.streamType);
    const existing = this.remotes.get(k);
    const data: RemoteStreamInfo = {
      hasAudio: !!info.hasAudio,
      hasVideo: !!info.hasVideo,
      hasSmall: !!info.hasSmall,
      audioMuted: !!info.audioMuted,
      videoMuted: !!info.videoMuted,
    };
    if (existing) {
      existing.info = data;
      this.emit('stream-updated', { stream: existing });
      return;
    }
    if (!this.users.has(info.userId)) this.onPeerJoin(info.userId, 'anchor');
    const stream = new RemoteStream(info.userId, apiType(info.streamType), data);
    stream.autoPlayDialog = this.config.enableAutoPlayDialog;
    this.remotes.set(k, stream);
    this.emit('stream-added', { stream });
    if (data.audioMuted) this.emit('mute-audio', { userId: info.userId });
    if (data.videoMuted) this.emit('mute-video', { userId: info.userId });
    if (this.config.autoSubscribe) {
      this.subscribe(stream).catch((e) => log.warn(`auto-subscribe to ${info.userId}/${info.streamType} failed`, e));
    }
  }

  private onStreamRemoved(userId: string, t: StreamType): void {
    const k = key(userId, t);
    const stream = this.remotes.get(k);
    if (!stream) return;
    this.remotes.delete(k);
    this.subscriptions.delete(k);
    stream.setTracks(null, null);
    stream.setConnectionState('DISCONNECTED');
    stream.close();
    this.emit('stream-removed', { stream });
  }

  private onMuteState(d: StreamInfo): void {
    const stream = this.remotes.get(key(d.userId, d.streamType));
    if (!stream) return;
    const before = stream.info;
    stream.info = { ...before, audioMuted: !!d.audioMuted, videoMuted: !!d.videoMuted };
    if (d.streamType !== 'main') return;
    if (before.audioMuted !== !!d.audioMuted)
      this.emit(d.audioMuted ? 'mute-audio' : 'unmute-audio', { userId: d.userId });
    if (before.videoMuted !== !!d.videoMuted)
      this.emit(d.videoMuted ? 'mute-video' : 'unmute-video', { userId: d.userId });
  }

  private onBanned(reason: string, message: string): void {
    log.warn(`removed from the room: ${reason} ${message}`);
    const r = reason === 'room_disband' ? 'room-disband' : reason;
    this.teardown();
    this.emit('client-banned', { reason: r, message });
  }

  private onCustomMessage(d: Record<string, unknown>): void {
    if (!this.config.enableSEI) return;
    const cmdId = Number(d.cmdId);
    if (cmdId !== 1 && cmdId !== 2) return;
    const bin = atob(String(d.data ?? ''));
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    this.emit('sei-message', {
      userId: String(d.userId),
      data: bytes.buffer,
      seiPayloadType: cmdId === 2 ? 5 : 243,
      isFromAuxiliary: false,
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Publishing

  /**
   * Publishes a local stream (one per call; `{isAuxiliary: true}` publishes it as the auxiliary,
   * screen-sharing stream). Resolves when the media connection is up and others got `stream-added`.
   */
  async publish(stream: LocalStream, options: { isAuxiliary?: boolean } = {}): Promise<void> {
    const where = 'Client.publish';
    this.assertUsable(where);
    if (!(stream instanceof LocalStream))
      throw invalidParameter(where, `\`stream\` must be a LocalStream from TRTC.createStream(), got ${show(stream)}`);
    checkOptionalObject(where, 'options', options);
    checkBoolean(where, 'options.isAuxiliary', options.isAuxiliary);
    this.assertJoined(where);
    if (this.role === 'audience')
      throw invalidOperation(where, "the audience cannot publish: switchRole('anchor') first");
    if (!stream.isInitialized()) throw invalidOperation(where, 'call stream.initialize() first');
    if (!stream.hasAudio() && !stream.hasVideo())
      throw invalidOperation(where, 'the stream has no audio or video track');
    const t: StreamType = options.isAuxiliary ? 'aux' : 'main';
    if (this.publishing.has(t))
      throw invalidOperation(where, 'previous publishing is ongoing, please avoid re-publishing');
    if (this.publications.has(t))
      throw invalidOperation(where, 'duplicate publishing, please unpublish and then re-publish');
    for (const p of this.publications.values()) {
      if (p.stream === stream) throw invalidOperation(where, 'this stream is already published');
    }
    await this.startPublication(t, stream);
  }

  private async startPublication(t: StreamType, stream: LocalStream): Promise<void> {
    const signal = this.signal!;
    this.publishing.add(t);
    stream.autoPlayDialog = this.config.enableAutoPlayDialog;
    const pub = new Publication(t, stream, signal, this.peerOptions(), t === 'main' ? this.smallStream : null);
    this.publications.set(t, pub);
    stream.setConnectionState('CONNECTING');
    pub.pc.onconnectionstatechange = () => this.onPublicationState(pub);
    try {
      await pub.start(
        () => this.waitPublished(t),
        () => {
          const { audioMuted, videoMuted } = stream.muteState();
          if (audioMuted) signal.request('mute', { streamType: t, kind: 'audio', muted: true }).catch(() => undefined);
          if (videoMuted) signal.request('mute', { streamType: t, kind: 'video', muted: true }).catch(() => undefined);
        },
      );
    } catch (e) {
      if (this.publications.get(t) === pub) {
        this.publications.delete(t);
        if (this.signal === signal && signal.state === 'CONNECTED') {
          signal.request('unpublish', { streamType: t }).catch(() => undefined);
        }
      }
      pub.close();
      stream.setConnectionState('DISCONNECTED');
      throw e;
    } finally {
      this.publishing.delete(t);
    }
    stream.binding = {
      trackChanged: (kind, track) => this.onLocalTrackChanged(t, kind, track),
      muteChanged: (kind, muted) => {
        this.signal?.request('mute', { streamType: t, kind, muted }).catch((e) => log.warn('mute signaling failed', e));
      },
      profileChanged: () => void this.publications.get(t)?.applyEncodings(),
    };
    // The stream may have switched its audio (microphone ↔ processed track, e.g. a capture volume
    // or the AudioMixer taking effect) while the connection was being set up, before it had a binding.
    // Likewise video (camera ↔ a plugin's processed track, e.g. Beauty started meanwhile).
    for (const kind of ['audio', 'video'] as const) {
      const track = kind === 'audio' ? stream.getAudioTrack() : stream.getVideoTrack();
      if (pub.canReplace(kind) && track && pub.sentTrack(kind) !== track) {
        void pub.replaceTrack(kind, track).catch((e) => log.warn(`could not send the current ${kind} track`, e));
      }
    }
    stream.setConnectionState('CONNECTED');
    log.info(`published ${t} stream ${stream.getId()}`);
  }

  private waitPublished(t: StreamType): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.publishedWaiters.delete(t);
        reject(
          new RtcError({
            code: ErrorCode.ICE_TRANSPORT_ERROR,
            message:
              'publish timeout: ICE/DTLS Transport connection failed: check that UDP to the media server is not blocked (firewall), or configure a TURN server',
          }),
        );
      }, PUBLISH_TIMEOUT_MS);
      this.publishedWaiters.set(t, {
        resolve: () => {
          clearTimeout(timer);
          this.publishedWaiters.delete(t);
          resolve();
        },
        reject: (e) => {
          clearTimeout(timer);
          this.publishedWaiters.delete(t);
          reject(e);
        },
      });
    });
  }

  private async onLocalTrackChanged(
    t: StreamType,
    kind: 'audio' | 'video',
    track: MediaStreamTrack | null,
  ): Promise<void> {
    const pub = this.publications.get(t);
    if (!pub) return;
    if (pub.canReplace(kind)) {
      await pub.replaceTrack(kind, track);
      // A removed video track looks like a muted camera to the others, and coming back unmutes it.
      if (kind === 'video' && !pub.stream.muteState().videoMuted) {
        this.signal?.request('mute', { streamType: t, kind, muted: track === null }).catch(() => undefined);
      }
      return;
    }
    if (!track) return;
    // A new kind of media needs a new negotiation: publish again.
    log.info(`${kind} track added to the published ${t} stream: publishing again`);
    await this.unpublishType(t);
    await this.startPublication(t, pub.stream);
  }

  /** Stops publishing a local stream. */
  async unpublish(stream: LocalStream): Promise<void> {
    const where = 'Client.unpublish';
    this.assertUsable(where);
    if (!(stream instanceof LocalStream))
      throw invalidParameter(where, `\`stream\` must be a LocalStream, got ${show(stream)}`);
    this.assertJoined(where);
    const entry = [...this.publications.entries()].find(([, p]) => p.stream === stream);
    if (!entry) throw invalidOperation(where, 'the stream is not published');
    await this.unpublishType(entry[0]);
  }

  private async unpublishType(t: StreamType): Promise<void> {
    const pub = this.publications.get(t);
    if (!pub) return;
    this.republish.delete(t);
    this.dropPublication(t, 'DISCONNECTED');
    await this.signal?.request('unpublish', { streamType: t }).catch((e: RtcError) => {
      // 4097: the server already dropped it (e.g. after a media reset).
      if (e.getExtraCode() !== 4097) throw e;
    });
  }

  /** Forgets a publication on this side: unbinds its stream, closes its connection, reports `state`. */
  private dropPublication(t: StreamType, state: ConnectionState): void {
    const pub = this.publications.get(t);
    if (!pub) return;
    this.publications.delete(t);
    pub.stream.binding = undefined;
    pub.close();
    pub.stream.setConnectionState(state);
    // A reconnect republishes the same stream: only a real unpublish (or leave) stops its plugins' audio.
    if (state === 'DISCONNECTED') pub.stream.unpublished();
  }

  private onPublicationState(pub: Publication): void {
    const s = pub.pc.connectionState;
    log.debug(`${pub.streamType} publisher connection ${s}`);
    if (s === 'connected') pub.stream.setConnectionState('CONNECTED');
    if (s === 'failed' || s === 'disconnected') {
      pub.stream.setConnectionState('RECONNECTING');
      void this.recoverPublication(pub, s === 'disconnected' ? 3000 : 0);
    }
  }

  /** ICE restart first; if the connection stays down, publish again; after 3 tries, give up. */
  private async recoverPublication(pub: Publication, graceMs: number): Promise<void> {
    const id = `pub:${pub.streamType}`;
    if (this.recovering.has(id)) return;
    this.recovering.add(id);
    try {
      if (graceMs) await sleep(graceMs);
      const t = pub.streamType;
      const stream = pub.stream;
      for (let attempt = 0; attempt < RECOVERY_ATTEMPTS; attempt++) {
        if (this.state !== 'joined') return;
        const current = this.publications.get(t);
        // Unpublished by the app meanwhile (not by a failed attempt below): nothing to recover.
        if (attempt === 0 && current !== pub) return;
        if (current && current.stream !== stream) return;
        if (current && current.pc.connectionState === 'connected') return;
        try {
          if (attempt === 0 && current) {
            log.info(`${t} publisher: ICE restart`);
            await current.restartIce();
            if (await waitConnected(current.pc, 10_000)) return;
          } else {
            log.info(`${t} publisher: publishing again (attempt ${attempt})`);
            if (this.publications.has(t)) await this.unpublishType(t);
            await this.startPublication(t, stream);
            return;
          }
        } catch (e) {
          log.warn(`${pub.streamType} publisher recovery attempt ${attempt + 1} failed`, e);
        }
        await sleep(1000 * 2 ** attempt);
      }
      this.emit(
        'error',
        new RtcError({
          code: ErrorCode.UPLINK_RECONNECTION_FAILED,
          message: 'the publishing connection could not be restored: check the network, then publish again or rejoin',
        }),
      );
    } finally {
      this.recovering.delete(id);
    }
  }

  private onUnpublished(t: StreamType, reason: string): void {
    const pub = this.publications.get(t);
    if (!pub) return;
    log.warn(`the media server closed the ${t} publication (${reason}): publishing again`);
    this.dropPublication(t, 'RECONNECTING');
    this.republish.set(t, pub.stream);
    void this.republishAll();
  }

  private onMediaReset(): void {
    log.warn('the media server restarted: publishing and subscribing again when it is back');
    for (const [t, pub] of [...this.publications]) {
      this.dropPublication(t, 'RECONNECTING');
      this.republish.set(t, pub.stream);
    }
    this.subscriber?.close();
    this.subscriber = undefined;
    this.subscriptions.clear();
    for (const r of this.remotes.values()) r.setTracks(null, null);
  }

  private async republishAll(): Promise<void> {
    for (const [t, stream] of [...this.republish]) {
      for (let attempt = 0; attempt < RECOVERY_ATTEMPTS; attempt++) {
        if (this.state !== 'joined' || this.republish.get(t) !== stream) break;
        try {
          if (!this.publications.has(t)) await this.startPublication(t, stream);
          this.republish.delete(t);
          break;
        } catch (e) {
          log.warn(`publishing ${t} again failed`, e);
          if (attempt === RECOVERY_ATTEMPTS - 1) {
            this.republish.delete(t);
            this.emit(
              'error',
              new RtcError({
                code: ErrorCode.UPLINK_RECONNECTION_FAILED,
                message: `the ${t} stream could not be published again: ${(e as Error).message}`,
              }),
            );
          } else await sleep(1000 * 2 ** attempt);
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Subscribing

  private ensureSubscriber(): Subscriber {
    if (this.subscriber) return this.subscriber;
    const sub = new Subscriber(this.signal!, this.peerOptions());
    sub.pc.onconnectionstatechange = () => this.onSubscriberState(sub);
    this.subscriber = sub;
    return sub;
  }

  private checkRemote(where: string, stream: unknown): RemoteStream {
    if (!(stream instanceof RemoteStream)) {
      throw invalidParameter(
        where,
        `\`stream\` must be a RemoteStream from the 'stream-added' event, got ${show(stream)}`,
      );
    }
    return stream;
  }

  private remoteKey(stream: RemoteStream): string {
    return key(stream.getUserId(), stream.getType() === 'auxiliary' ? 'aux' : 'main');
  }

  /**
   * Receives a remote stream (`{audio, video}` both default true). `stream-subscribed` follows;
   * then `stream.play(element)`.
   */
  subscribe(
    stream: RemoteStream,
    options: { audio?: boolean; video?: boolean; smallVideo?: boolean } = {},
  ): Promise<void> {
    return this.subscribeStream(stream, options, false);
  }

  /** `again`: a resubscription after a reset, so the app already had `stream-subscribed`. */
  private async subscribeStream(
    stream: RemoteStream,
    options: { audio?: boolean; video?: boolean; smallVideo?: boolean },
    again: boolean,
  ): Promise<void> {
    const where = 'Client.subscribe';
    this.assertUsable(where);
    this.checkRemote(where, stream);
    checkOptionalObject(where, 'options', options);
    checkBoolean(where, 'options.audio', options.audio);
    checkBoolean(where, 'options.video', options.video);
    checkBoolean(where, 'options.smallVideo', options.smallVideo);
    const audio = options.audio ?? true;
    const video = options.video ?? true;
    if (!audio && !video) throw invalidParameter(where, 'audio and video cannot both be false: use unsubscribe()');
    const signal = this.assertJoined(where);
    const k = this.remoteKey(stream);
    if (this.remotes.get(k) !== stream) {
      throw new RtcError({
        code: ErrorCode.REMOTE_STREAM_NOT_EXIST,
        message: `${where}: the remote stream no longer exists`,
      });
    }
    const small = options.smallVideo ?? this.remoteTypePref.get(k) === 'small';
    const t = stream.getType() === 'auxiliary' ? 'aux' : 'main';
    const sub = this.ensureSubscriber();
    const res = await signal.request<SubscriberOffer>('subscribe', {
      userId: stream.getUserId(),
      streamType: t,
      audio,
      video,
      small: small && stream.info.hasSmall,
    });
    await sub.apply(res);
    if (this.remotes.get(k) !== stream || this.subscriber !== sub) {
      throw new RtcError({
        code: ErrorCode.REMOTE_STREAM_NOT_EXIST,
        message: `${where}: the remote stream was removed while subscribing`,
      });
    }
    this.subscriptions.set(k, { audio, video, small });
    this.refreshRemoteTracks();
    stream.setConnectionState(sub.pc.connectionState === 'connected' ? 'CONNECTED' : 'CONNECTING');
    if (!again) this.emit('stream-subscribed', { stream });
  }

  /** Stops receiving a remote stream. */
  async unsubscribe(stream: RemoteStream): Promise<void> {
    const where = 'Client.unsubscribe';
    this.assertUsable(where);
    this.checkRemote(where, stream);
    const signal = this.assertJoined(where);
    const k = this.remoteKey(stream);
    if (!this.subscriptions.has(k)) throw invalidOperation(where, 'the stream is not subscribed');
    this.subscriptions.delete(k);
    stream.setTracks(null, null);
    const t = stream.getType() === 'auxiliary' ? 'aux' : 'main';
    try {
      const res = await signal.request<SubscriberOffer>('unsubscribe', { userId: stream.getUserId(), streamType: t });
      await this.subscriber?.apply(res);
    } catch (e) {
      if ((e as RtcError).getExtraCode?.() !== 4097) throw e;
    }
    stream.setConnectionState('DISCONNECTED');
  }

  /** Gives every subscribed remote stream its current tracks. */
  private refreshRemoteTracks(): void {
    for (const [k, stream] of this.remotes) {
      const sub = this.subscriptions.get(k);
      if (!sub || !this.subscriber) {
        stream.setTracks(null, null);
        continue;
      }
      const tracks = this.subscriber.tracksFor(stream.getUserId(), stream.getType() === 'auxiliary' ? 'aux' : 'main');
      stream.setTracks(sub.audio ? tracks.audio : null, sub.video ? tracks.video : null);
    }
  }

  private onSubscriberState(sub: Subscriber): void {
    const s = sub.pc.connectionState;
    const state: ConnectionState =
      s === 'connected'
        ? 'CONNECTED'
        : s === 'failed' || s === 'disconnected'
          ? 'RECONNECTING'
          : s === 'closed'
            ? 'DISCONNECTED'
            : 'CONNECTING';
    for (const [k, r] of this.remotes) if (this.subscriptions.has(k)) r.setConnectionState(state);
    if (s === 'failed' || s === 'disconnected') void this.recoverSubscriber(sub, s === 'disconnected' ? 3000 : 0);
  }

  /** ICE restart first; if that fails, a new subscriber connection and subscribing again. */
  private async recoverSubscriber(sub: Subscriber, graceMs: number): Promise<void> {
    if (this.recovering.has('sub')) return;
    this.recovering.add('sub');
    try {
      if (graceMs) await sleep(graceMs);
      if (this.subscriber !== sub || sub.pc.connectionState === 'connected') return;
      try {
        log.info('subscriber: ICE restart');
        await sub.restartIce();
        if (await waitConnected(sub.pc, 10_000)) return;
      } catch (e) {
        log.warn('subscriber ICE restart failed', e);
      }
      if (this.subscriber !== sub) return;
      // Ask the server for a fresh Janus subscriber too, then subscribe again on a new connection.
      await this.signal?.request('resetSubscriber').catch((e) => log.warn('resetSubscriber failed', e));
      if (this.subscriber === sub) await this.resubscribeAll();
    } finally {
      this.recovering.delete('sub');
    }
  }

  /** Drops the subscriber connection and subscribes again to everything that was subscribed. */
  private async resubscribeAll(): Promise<void> {
    const wanted = [...this.subscriptions.entries()];
    this.subscriber?.close();
    this.subscriber = undefined;
    this.subscriptions.clear();
    this.refreshRemoteTracks();
    if (this.state !== 'joined') return;
    let failed = 0;
    for (const [k, opt] of wanted) {
      const stream = this.remotes.get(k);
      if (!stream) continue;
      let ok = false;
      for (let attempt = 0; attempt < RECOVERY_ATTEMPTS && !ok; attempt++) {
        if (this.state !== 'joined' || this.remotes.get(k) !== stream) {
          ok = true;
          break;
        }
        try {
          await this.subscribeStream(stream, { audio: opt.audio, video: opt.video, smallVideo: opt.small }, true);
          ok = true;
        } catch (e) {
          log.warn(`subscribing again to ${stream.getUserId()} failed`, e);
          await sleep(1000 * 2 ** attempt);
        }
      }
      if (!ok) failed++;
    }
    if (failed > 0) {
      this.emit(
        'error',
        new RtcError({
          code: ErrorCode.DOWNLINK_RECONNECTION_FAILED,
          message: `${failed} remote stream(s) could not be received again: check the network and rejoin`,
        }),
      );
    }
  }

  private async onResumed(snap: Snapshot): Promise<void> {
    log.info('reconnected to the room server and resumed the session');
    const users = new Set(snap.users.map((u) => u.userId));
    for (const u of [...this.users.keys()]) if (!users.has(u)) this.onPeerLeave(u);
    for (const u of snap.users) this.onPeerJoin(u.userId, u.role);
    const streams = new Set(snap.streams.map((s) => key(s.userId, s.streamType)));
    for (const k of [...this.remotes.keys()]) {
      if (!streams.has(k)) {
        const r = this.remotes.get(k)!;
        this.onStreamRemoved(r.getUserId(), r.getType() === 'auxiliary' ? 'aux' : 'main');
      }
    }
    for (const s of snap.streams) {
      const existing = this.remotes.get(key(s.userId, s.streamType));
      if (!existing) {
        this.onStreamAdded(s);
        continue;
      }
      // Mute changes missed while disconnected.
      existing.info = { ...existing.info, hasAudio: !!s.hasAudio, hasVideo: !!s.hasVideo, hasSmall: !!s.hasSmall };
      this.onMuteState(s);
    }
    // Our own mute changes made while disconnected were not delivered: send the current state.
    for (const [t, pub] of this.publications) {
      const { audioMuted, videoMuted } = pub.stream.muteState();
      for (const [kind, muted] of [
        ['audio', audioMuted],
        ['video', videoMuted],
      ] as const) {
        this.signal?.request('mute', { streamType: t, kind, muted }).catch(() => undefined);
      }
    }
    // Publications the server no longer holds are published again.
    for (const [t, pub] of [...this.publications]) {
      if (!snap.published.includes(t)) {
        this.dropPublication(t, 'RECONNECTING');
        this.republish.set(t, pub.stream);
      }
    }
    if (snap.mediaAvailable) void this.republishAll();
    // If the server's subscriptions differ from ours, the subscriber connection was reset meanwhile.
    const serverSubs = new Set((snap.subscribed ?? []).map((s) => key(s.userId, s.streamType)));
    const ours = [...this.subscriptions.keys()].filter((k) => this.remotes.has(k));
    if (ours.length !== serverSubs.size || ours.some((k) => !serverSubs.has(k))) {
      if (!snap.mediaAvailable) return;
      if (serverSubs.size > 0) await this.signal?.request('resetSubscriber').catch(() => undefined);
      await this.resubscribeAll();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Roles, small stream, SEI

  /** Switches between `'anchor'` and `'audience'` (live mode only). The audience's streams are unpublished. */
  async switchRole(role: 'anchor' | 'audience'): Promise<void> {
    const where = 'Client.switchRole';
    checkOneOf(where, 'role', role, ['anchor', 'audience'], false);
    const signal = this.assertJoined(where);
    if (this.config.mode !== 'live') throw invalidOperation(where, "switchRole works in 'live' mode only");
    const res = await signal.request<{ role: 'anchor' | 'audience' }>('switchRole', { role });
    this.role = res.role;
    if (res.role === 'audience') {
      for (const t of [...this.publications.keys()]) this.dropPublication(t, 'DISCONNECTED');
    }
  }

  /**
   * Sends an SEI message (at most 1000 bytes; 30 per second, 8000 bytes per second) to everyone in
   * the room; requires `enableSEI: true` and a published main stream. Delivered through the room
   * server, next to the video rather than inside its frames.
   */
  sendSEIMessage(buffer: ArrayBuffer | ArrayBufferView, options: { seiPayloadType?: 5 | 243 } = {}): void {
    const where = 'Client.sendSEIMessage';
    const bytes =
      buffer instanceof ArrayBuffer
        ? new Uint8Array(buffer)
        : ArrayBuffer.isView(buffer)
          ? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
          : null;
    if (!bytes)
      throw invalidParameter(where, `\`buffer\` must be an ArrayBuffer or a typed array, got ${show(buffer)}`);
    if (bytes.length === 0 || bytes.length > 1000)
      throw invalidParameter(where, `the message must be 1–1000 bytes, got ${bytes.length}`);
    checkOptionalObject(where, 'options', options);
    if (options.seiPayloadType !== undefined && options.seiPayloadType !== 5 && options.seiPayloadType !== 243) {
      throw invalidParameter(where, `\`seiPayloadType\` must be 5 or 243, got ${show(options.seiPayloadType)}`);
    }
    const signal = this.assertJoined(where);
    if (!this.config.enableSEI) throw invalidOperation(where, 'create the client with enableSEI: true');
    if (!this.publications.has('main')) throw invalidOperation(where, 'publish a stream first');
    const now = Date.now();
    if (now - this.seiWindow.start >= 1000) this.seiWindow = { start: now, count: 0, bytes: 0 };
    if (this.seiWindow.count >= 30 || this.seiWindow.bytes + bytes.length > 8000) {
      throw invalidOperation(where, 'too many SEI messages: at most 30 and 8000 bytes per second');
    }
    this.seiWindow.count++;
    this.seiWindow.bytes += bytes.length;
    let bin = '';
    for (const b of bytes) bin += String.fromCharCode(b);
    signal
      .request('sendCustomMessage', { cmdId: options.seiPayloadType === 5 ? 2 : 1, data: btoa(bin) })
      .catch((e) => log.warn('sendSEIMessage failed', e));
  }

  /** Publishes a small (low resolution) stream next to the main video. Call it before publish(). */
  async enableSmallStream(): Promise<void> {
    const where = 'Client.enableSmallStream';
    this.assertUsable(where);
    if (!smallStreamSupported())
      throw new RtcError({ code: ErrorCode.NOT_SUPPORTED, message: `${where}: this browser cannot send simulcast` });
    if (this.publications.has('main')) throw invalidOperation(where, 'call it before publish() (or unpublish first)');
    this.smallStream = this.smallProfile;
  }

  /** Stops publishing the small stream. Call it before publish(). */
  async disableSmallStream(): Promise<void> {
    const where = 'Client.disableSmallStream';
    this.assertUsable(where);
    if (this.publications.has('main')) throw invalidOperation(where, 'call it before publish() (or unpublish first)');
    this.smallStream = null;
  }

  /** Sets the small stream's `{width, height, frameRate, bitrate}` (default 160×120, 15 fps, 100 kbps). */
  setSmallStreamProfile(profile: VideoProfile): void {
    const where = 'Client.setSmallStreamProfile';
    checkObject(where, 'profile', profile);
    checkNumber(where, 'profile.width', profile.width, { integer: true, min: 16, max: 1920 });
    checkNumber(where, 'profile.height', profile.height, { integer: true, min: 16, max: 1080 });
    checkNumber(where, 'profile.frameRate', profile.frameRate, { min: 1, max: 30 });
    checkNumber(where, 'profile.bitrate', profile.bitrate, { min: 10, max: 2000 });
    this.smallProfile = {
      width: profile.width,
      height: profile.height,
      frameRate: profile.frameRate,
      bitrate: profile.bitrate,
    };
    if (this.smallStream) this.smallStream = this.smallProfile;
  }

  /** Receives the remote user's big or small video (the remote side must have enabled the small stream). */
  async setRemoteVideoStreamType(stream: RemoteStream, type: 'big' | 'small'): Promise<void> {
    const where = 'Client.setRemoteVideoStreamType';
    this.checkRemote(where, stream);
    checkOneOf(where, 'type', type, ['big', 'small'], false);
    const signal = this.assertJoined(where);
    const k = this.remoteKey(stream);
    if (type === 'small' && !stream.info.hasSmall) {
      throw invalidOperation(where, 'the remote user does not publish a small stream (enableSmallStream)');
    }
    this.remoteTypePref.set(k, type);
    const sub = this.subscriptions.get(k);
    if (!sub) return;
    await signal.request('setRemoteVideoStreamType', {
      userId: stream.getUserId(),
      streamType: stream.getType() === 'auxiliary' ? 'aux' : 'main',
      type,
    });
    sub.small = type === 'small';
  }

  /** Not available yet: rejects with NOT_SUPPORTED (CDN relay comes with a later release). */
  async startPublishCDNStream(_options?: unknown): Promise<void> {
    throw notYet('startPublishCDNStream');
  }

  /** Not available yet: rejects with NOT_SUPPORTED. */
  async stopPublishCDNStream(): Promise<void> {
    throw notYet('stopPublishCDNStream');
  }

  /** Not available yet: rejects with NOT_SUPPORTED (mix-transcoding comes with a later release). */
  async startMixTranscode(_config?: unknown): Promise<void> {
    throw notYet('startMixTranscode');
  }

  /** Not available yet: rejects with NOT_SUPPORTED. */
  async stopMixTranscode(): Promise<void> {
    throw notYet('stopMixTranscode');
  }

  // ---------------------------------------------------------------------------------------------
  // State and statistics

  /** The mute state of every remote user's main stream. */
  getRemoteMutedState(): RemoteMutedState[] {
    return [...this.users.keys()].map((userId) => {
      const s = this.remotes.get(key(userId, 'main'));
      const i = s?.info;
      return {
        userId,
        hasAudio: i?.hasAudio ?? false,
        hasVideo: i?.hasVideo ?? false,
        hasSmall: i?.hasSmall ?? false,
        audioMuted: i?.audioMuted ?? false,
        videoMuted: i?.videoMuted ?? false,
      };
    });
  }

  private peerOptions() {
    return {
      iceServers: this.iceServers,
      ...(this.config.iceTransportPolicy ? { iceTransportPolicy: this.config.iceTransportPolicy } : {}),
    };
  }

  /** Round-trip times: uplink (`rtt`) and per remote user (`downlinksRTT`), ms. */
  async getTransportStats(): Promise<TransportStats> {
    const out: TransportStats = { rtt: 0, downlinksRTT: {} };
    const pub = this.publications.get('main') ?? this.publications.get('aux');
    if (pub) out.rtt = Math.max(0, rttOf(await pub.pc.getStats()));
    if (this.subscriber) {
      const rtt = Math.max(0, rttOf(await this.subscriber.pc.getStats()));
      for (const [k, r] of this.remotes) if (this.subscriptions.has(k)) out.downlinksRTT[r.getUserId()] = rtt;
    }
    return out;
  }

  /** Sent audio of the published main stream, by userId. */
  async getLocalAudioStats(): Promise<Record<string, LocalAudioStats>> {
    const pub = this.publications.get('main');
    if (!pub) return {};
    const out: LocalAudioStats = { bytesSent: 0, packetsSent: 0 };
    (await pub.pc.getStats()).forEach((r: Record<string, unknown>) => {
      if (r.type === 'outbound-rtp' && r.kind === 'audio') {
        out.bytesSent += num(r.bytesSent);
        out.packetsSent += num(r.packetsSent);
      }
    });
    return { [this.config.userId]: out };
  }

  /** Sent video of the published main stream (all simulcast layers), by userId. */
  async getLocalVideoStats(): Promise<Record<string, LocalVideoStats>> {
    const pub = this.publications.get('main');
    if (!pub) return {};
    const out: LocalVideoStats = {
      bytesSent: 0,
      packetsSent: 0,
      framesEncoded: 0,
      framesSent: 0,
      frameWidth: 0,
      frameHeight: 0,
    };
    (await pub.pc.getStats()).forEach((r: Record<string, unknown>) => {
      if (r.type === 'outbound-rtp' && r.kind === 'video') {
        out.bytesSent += num(r.bytesSent);
        out.packetsSent += num(r.packetsSent);
        out.framesEncoded += num(r.framesEncoded);
        out.framesSent += num(r.framesSent);
        if (num(r.frameWidth) > out.frameWidth) {
          out.frameWidth = num(r.frameWidth);
          out.frameHeight = num(r.frameHeight);
        }
      }
    });
    return { [this.config.userId]: out };
  }

  private async inbound(
    type: StreamType,
  ): Promise<Map<string, { audio?: Record<string, unknown>; video?: Record<string, unknown> }>> {
    const out = new Map<string, { audio?: Record<string, unknown>; video?: Record<string, unknown> }>();
    const sub = this.subscriber;
    if (!sub) return out;
    (await sub.pc.getStats()).forEach((r: Record<string, unknown>) => {
      if (r.type !== 'inbound-rtp' || typeof r.mid !== 'string') return;
      const owner = sub.ownerOf(r.mid);
      if (!owner || !owner.userId || owner.streamType !== type || !this.subscriptions.has(key(owner.userId, type)))
        return;
      const e = out.get(owner.userId) ?? {};
      e[r.kind as 'audio' | 'video'] = r;
      out.set(owner.userId, e);
    });
    return out;
  }

  /** Received audio of every subscribed remote main stream, by userId. */
  async getRemoteAudioStats(): Promise<Record<string, RemoteAudioStats>> {
    const out: Record<string, RemoteAudioStats> = {};
    for (const [userId, e] of await this.inbound('main')) {
      if (!e.audio) continue;
      out[userId] = {
        bytesReceived: num(e.audio.bytesReceived),
        packetsReceived: num(e.audio.packetsReceived),
        packetsLost: num(e.audio.packetsLost),
      };
    }
    return out;
  }

  /** Received video of every subscribed remote stream of `type` (default main), by userId. */
  async getRemoteVideoStats(type: 'main' | 'auxiliary' = 'main'): Promise<Record<string, RemoteVideoStats>> {
    checkOneOf('Client.getRemoteVideoStats', 'type', type, ['main', 'auxiliary']);
    const out: Record<string, RemoteVideoStats> = {};
    for (const [userId, e] of await this.inbound(type === 'auxiliary' ? 'aux' : 'main')) {
      const v = e.video;
      if (!v) continue;
      out[userId] = {
        bytesReceived: num(v.bytesReceived),
        packetsReceived: num(v.packetsReceived),
        packetsLost: num(v.packetsLost),
        framesDecoded: num(v.framesDecoded),
        frameWidth: num(v.frameWidth),
        frameHeight: num(v.frameHeight),
      };
    }
    return out;
  }

  private startQualityTimer(): void {
    this.stopQualityTimer();
    this.upReader.reset();
    this.downReader.reset();
    // The levels come from the C++ core; until it is loaded (or if it cannot be), the event
    // reports level 0 (unknown) with the measured RTT.
    loadCore().then(
      (core) => {
        if (!this.qualityTimer) return;
        this.upQuality.attach(core);
        this.downQuality.attach(core);
      },
      (e: unknown) => {
        if (this.coreWarned) return;
        this.coreWarned = true;
        log.warn(`network-quality levels need the WASM core and stay 0: ${(e as Error).message}`);
      },
    );
    // One sample at a time: a getStats() slower than 2 s (busy or background tab) skips a tick
    // rather than feeding the estimator samples out of order.
    let busy = false;
    this.qualityTimer = setInterval(() => {
      if (busy) return;
      busy = true;
      void this.emitNetworkQuality().finally(() => (busy = false));
    }, 2000);
  }

  private stopQualityTimer(): void {
    clearInterval(this.qualityTimer);
    this.qualityTimer = undefined;
    this.upQuality.dispose();
    this.downQuality.dispose();
  }

  /**
   * @internal The connections that network quality is measured on: the main (else auxiliary)
   * publication's for the uplink, the subscriber's (while something is subscribed) for the downlink.
   */
  linkConnections(): { uplink?: RTCPeerConnection; downlink?: RTCPeerConnection } {
    const pub = this.publications.get('main') ?? this.publications.get('aux');
    const sub = this.subscriber && this.subscriptions.size > 0 ? this.subscriber.pc : undefined;
    return { uplink: pub?.pc, downlink: sub };
  }

  private async emitNetworkQuality(): Promise<void> {
    const signal = this.signal;
    if (!signal) return;
    const disconnected = signal.state !== 'CONNECTED';
    const { uplink: pubPc, downlink: sub } = this.linkConnections();
    let upSample = disconnectedSample();
    let downSample = disconnectedSample();
    try {
      if (!disconnected) {
        [upSample, downSample] = await Promise.all([
          this.upReader.read(pubPc).then((r) => r.sample),
          this.downReader.read(sub).then((r) => r.sample),
        ]);
      }
    } catch (e) {
      log.debug('network quality stats failed', e);
      return;
    }
    if (this.signal !== signal || !this.qualityTimer) return;
    const up = this.upQuality.update(upSample);
    const down = this.downQuality.update(downSample);
    this.emit('network-quality', {
      uplinkNetworkQuality: asQuality(up.level),
      downlinkNetworkQuality: asQuality(down.level),
      uplinkRTT: Math.round(up.rttMs),
      uplinkLoss: Math.round(up.lossPercent),
      downlinkRTT: Math.round(down.rttMs),
      downlinkLoss: Math.round(down.lossPercent),
    });
  }

  /**
   * Emits `audio-volume` every `interval` ms (default 2000; 0 or less stops) with the volume (0–100)
   * of the published local stream and every subscribed remote stream. Paused while the page is
   * hidden unless `enableInBackground`.
   */
  enableAudioVolumeEvaluation(interval = 2000, enableInBackground = false): void {
    const where = 'Client.enableAudioVolumeEvaluation';
    checkNumber(where, 'interval', interval);
    checkBoolean(where, 'enableInBackground', enableInBackground);
    clearInterval(this.volumeTimer);
    this.volumeTimer = undefined;
    if (interval <= 0) return;
    this.volumeInBackground = enableInBackground;
    this.volumeTimer = setInterval(() => this.emitAudioVolume(), Math.max(16, interval));
  }

  private emitAudioVolume(): void {
    if (this.state !== 'joined') return;
    if (!this.volumeInBackground && typeof document !== 'undefined' && document.hidden) return;
    const result: AudioVolumeEvent['result'] = [];
    const local = this.publications.get('main')?.stream;
    if (local && local.hasAudio()) {
      result.push({ userId: this.config.userId, audioVolume: Math.round(local.getAudioLevel() * 100), stream: local });
    }
    for (const [k, r] of this.remotes) {
      if (this.subscriptions.get(k)?.audio && r.getAudioTrack()) {
        result.push({ userId: r.getUserId(), audioVolume: Math.round(r.getAudioLevel() * 100), stream: r });
      }
    }
    this.emit('audio-volume', { result });
  }
}

function notYet(method: string): RtcError {
  return new RtcError({
    code: ErrorCode.NOT_SUPPORTED,
    message: `Client.${method} is not supported by this release: CDN relay and mix-transcoding come with a later release`,
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Resolves true once `pc` is connected, false after `timeoutMs` or if it closes. */
function waitConnected(pc: RTCPeerConnection, timeoutMs: number): Promise<boolean> {
  if (pc.connectionState === 'connected') return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(false), timeoutMs);
    const onChange = () => {
      if (pc.connectionState === 'connected') done(true);
      else if (pc.connectionState === 'closed') done(false);
    };
    function done(v: boolean) {
      clearTimeout(timer);
      pc.removeEventListener('connectionstatechange', onChange);
      resolve(v);
    }
    pc.addEventListener('connectionstatechange', onChange);
  });
}

/** Whether this browser can send simulcast (the small stream). */
export function smallStreamSupported(): boolean {
  return (
    typeof RTCRtpSender !== 'undefined' &&
    typeof RTCRtpSender.prototype.setParameters === 'function' &&
    typeof RTCRtpTransceiver !== 'undefined'
  );
}

/** Validates `createClient()` options. */
export function checkClientConfig(config: unknown): asserts config is ClientConfig {
  const where = 'TRTC.createClient';
  checkObject(where, 'config', config);
  const c = config as Record<string, unknown>;
  checkNumber(where, 'sdkAppId', c.sdkAppId, { integer: true, min: 1, max: 4294967295 });
  checkString(where, 'userId', c.userId, { maxBytes: 128 });
  checkString(where, 'userSig', c.userSig, { maxBytes: 4096 });
  checkOneOf(where, 'mode', c.mode, ['rtc', 'live'], false);
  for (const k of ['useStringRoomId', 'autoSubscribe', 'enableAutoPlayDialog', 'enableSEI'] as const)
    checkBoolean(where, k, c[k]);
  if (c.serverUrl !== undefined) checkWebSocketUrl(where, 'serverUrl', c.serverUrl);
  checkOneOf(where, 'iceTransportPolicy', c.iceTransportPolicy, ['all', 'relay']);
  checkString(where, 'streamId', c.streamId, { optional: true, maxBytes: 64 });
  if (
    c.userDefineRecordId !== undefined &&
    (typeof c.userDefineRecordId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(c.userDefineRecordId))
  ) {
    throw invalidParameter(where, '`userDefineRecordId` must be 1–64 letters, digits, _ or -');
  }
  if (c.pureAudioPushMode !== undefined && c.pureAudioPushMode !== 1 && c.pureAudioPushMode !== 2) {
    throw invalidParameter(where, '`pureAudioPushMode` must be 1 or 2');
  }
}
