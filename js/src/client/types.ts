// Options and event payloads of the Client (TRTC Web SDK v4 names).
import type { RtcError } from '../errors';
import type { ConnectionState } from '../signal/signal-channel';
import type { RemoteStream } from '../stream/remote-stream';
import type { LocalStream } from '../stream/local-stream';
import type { NetworkQuality } from './quality';

export type { ConnectionState } from '../signal/signal-channel';
export type { NetworkQuality } from './quality';

/** Options of `TRTC.createClient()`. */
export interface ClientConfig {
  /** `'rtc'` for calls (everyone publishes), `'live'` for interactive live streaming (anchor/audience). */
  mode: 'rtc' | 'live';
  /** Your application id: the room server's `--sdk-app-id`. */
  sdkAppId: number;
  /** The user's id: 1–128 bytes. */
  userId: string;
  /** The user's UserSig, made by your backend with the secret key (never in the browser). */
  userSig: string;
  /** Room ids are strings (default false: integers). */
  useStringRoomId?: boolean;
  /** Subscribe to every remote stream as soon as it is added (default true). */
  autoSubscribe?: boolean;
  /** Show the built-in "click to play" dialog when the browser blocks autoplay (default true). */
  enableAutoPlayDialog?: boolean;
  /** Allow `sendSEIMessage` and receive `sei-message` (default false). */
  enableSEI?: boolean;
  /**
   * The room server's WebSocket URL. Default: `ws(s)://<page host>/rtc` (wss on HTTPS pages).
   * An extension of the TRTC v4 options, since this SDK talks to your own server.
   */
  serverUrl?: string;
  /** ICE transport policy of the PeerConnections (`'relay'` forces TURN). */
  iceTransportPolicy?: RTCIceTransportPolicy;
  /** Accepted for compatibility; CDN relay comes with a later release. */
  streamId?: string;
  /** Accepted for compatibility; cloud recording comes with a later release. */
  userDefineRecordId?: string;
  /** Accepted for compatibility. */
  pureAudioPushMode?: 1 | 2;
}

/** Options of `client.join()`. */
export interface JoinOptions {
  /** Integer 1–4294967294, or with `useStringRoomId` a string of 1–64 characters. */
  roomId: number | string;
  /** `'anchor'` (default) or `'audience'`; only used in `live` mode. */
  role?: 'anchor' | 'audience';
  /** The PrivateMapKey (room permissions), if your server requires one. */
  privateMapKey?: string;
}

/** One entry of `getRemoteMutedState()`. */
export interface RemoteMutedState {
  userId: string;
  hasAudio: boolean;
  hasVideo: boolean;
  hasSmall: boolean;
  audioMuted: boolean;
  videoMuted: boolean;
}

/** A TURN/STUN server for `setTurnServer` (`url` as in TRTC v4, or `urls`). */
export interface TurnServerConfig {
  url?: string;
  urls?: string | string[];
  username?: string;
  credential?: string;
  credentialType?: 'password';
}

/** Payload of `network-quality`. Qualities: 0 unknown, 1 excellent … 5 very poor, 6 disconnected. */
export interface NetworkQualityEvent {
  uplinkNetworkQuality: NetworkQuality;
  downlinkNetworkQuality: NetworkQuality;
  /** Uplink round-trip time, ms. */
  uplinkRTT: number;
  /** Uplink packet loss, percent. */
  uplinkLoss: number;
  /** Downlink round-trip time, ms. */
  downlinkRTT: number;
  /** Downlink packet loss, percent. */
  downlinkLoss: number;
}

/** Payload of `audio-volume`. */
export interface AudioVolumeEvent {
  result: { userId: string; audioVolume: number; stream: LocalStream | RemoteStream }[];
}

/** Client events (`client.on(name, handler)`) and their payloads. */
export interface ClientEventMap {
  /** A remote user published a stream. */
  'stream-added': { stream: RemoteStream };
  /** A remote user stopped publishing a stream. */
  'stream-removed': { stream: RemoteStream };
  /** A remote stream changed (its tracks or its small stream). */
  'stream-updated': { stream: RemoteStream };
  /** `subscribe()` succeeded: the stream can be played. */
  'stream-subscribed': { stream: RemoteStream };
  /** The connection to the room server changed state. */
  'connection-state-changed': { prevState: ConnectionState; state: ConnectionState };
  /** A remote user entered the room (in `live` mode: an anchor). */
  'peer-join': { userId: string };
  /** A remote user left the room. */
  'peer-leave': { userId: string };
  /** A remote user muted the microphone. */
  'mute-audio': { userId: string };
  /** A remote user muted the camera. */
  'mute-video': { userId: string };
  /** A remote user unmuted the microphone. */
  'unmute-audio': { userId: string };
  /** A remote user unmuted the camera. */
  'unmute-video': { userId: string };
  /** This client was removed from the room: `kick` (same userId joined elsewhere), `banned`, `room-disband`. */
  'client-banned': { reason: 'kick' | 'banned' | 'room-disband' | string; message: string };
  /** Every 2 s after join: uplink and downlink quality. */
  'network-quality': NetworkQualityEvent;
  /** Volumes, after `enableAudioVolumeEvaluation()`. */
  'audio-volume': AudioVolumeEvent;
  /** An SEI message from a remote user (`enableSEI` must be true). */
  'sei-message': { userId: string; data: ArrayBuffer; seiPayloadType: 5 | 243; isFromAuxiliary: boolean };
  /** An unrecoverable error (e.g. reconnection failed). */
  error: RtcError;
}

/** Result of `getTransportStats()`. */
export interface TransportStats {
  /** Uplink round-trip time, ms (0 when not publishing). */
  rtt: number;
  /** Downlink round-trip time per remote user, ms. */
  downlinksRTT: Record<string, number>;
}

export interface LocalAudioStats {
  bytesSent: number;
  packetsSent: number;
}

export interface LocalVideoStats {
  bytesSent: number;
  packetsSent: number;
  framesEncoded: number;
  framesSent: number;
  frameWidth: number;
  frameHeight: number;
}

export interface RemoteAudioStats {
  bytesReceived: number;
  packetsReceived: number;
  packetsLost: number;
}

export interface RemoteVideoStats {
  bytesReceived: number;
  packetsReceived: number;
  packetsLost: number;
  framesDecoded: number;
  frameWidth: number;
  frameHeight: number;
}
