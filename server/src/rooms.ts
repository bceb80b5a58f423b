// Room state: rooms, members, roles, published streams and subscriptions. The RoomService owns
// the rules (limits, privileges, duplicate userIds, grace period) and drives the media side.
import { randomBytes } from 'node:crypto';

import type { ServerConfig } from './config.js';
import { JanusError, type HandleEvent, type JanusConnection, type Jsep } from './janus/connection.js';
import {
  createJanusRoom,
  destroyJanusRoom,
  feedDisplay,
  HandleRelay,
  parseFeedStreams,
  parseSubStreams,
  type FeedStream,
  type SubStream,
} from './media.js';
import {
  Code,
  Limits,
  ProtocolError,
  roomKey,
  type BannedReason,
  type Mode,
  type Role,
  type RoomId,
  type StreamInfo,
  type StreamType,
  type UserInfo,
} from './protocol.js';
import { decodeUserbuf, Privilege, SigError, verifySig } from './usersig.js';
import { EventType, ROLE_CODE, type WebhookSender } from './webhooks.js';

/** What the signaling layer gives a member to talk to its client. */
export interface ClientLink {
  event(name: string, data: unknown): void;
  /** Closes the connection after sending `client-banned`. */
  ban(reason: BannedReason, message: string): void;
}

/** A published stream: what others see of it (StreamInfo) plus its Janus side. */
export interface Publication extends Omit<StreamInfo, 'userId'> {
  feedId: number;
  relay?: HandleRelay;
  /** True once Janus reports the PeerConnection up: only then may others subscribe. */
  announced: boolean;
  /** True while an offer of the client (`publish`, `restartIce`) waits for Janus's answer. */
  negotiating: boolean;
  streams: FeedStream[];
}

interface Subscription {
  pub: Publication;
  owner: Member;
  audio: boolean;
  video: boolean;
  small: boolean;
}

interface Subscriber {
  relay?: HandleRelay;
  /** Serializes negotiations on the one subscriber PeerConnection. */
  queue: Promise<unknown>;
  subs: Map<number, Subscription>;
  streams: SubStream[];
  awaitingAnswer?: { resolve: (sdp: string) => void; reject: (e: Error) => void };
}

export interface Member {
  userId: string;
  room: Room;
  role: Role;
  privileges: number;
  token: string;
  link?: ClientLink;
  graceTimer?: NodeJS.Timeout;
  pubs: Map<StreamType, Publication>;
  sub: Subscriber;
  joinedAt: number;
  /** Custom-message bytes sent in the current one-second window. */
  msgWindow: { start: number; bytes: number };
  gone: boolean;
}

export interface Room {
  key: string;
  roomId: RoomId;
  mode: Mode;
  members: Map<string, Member>;
  janusRoomId: number;
  /** Set while the Janus room exists in the current Janus incarnation. */
  janusReady?: Promise<void>;
  createdAt: number;
  msgWindow: { start: number; count: number };
  msgSeq: number;
}

export interface JoinRequest {
  sdkAppId: number;
  userId: string;
  userSig: string;
  roomId: RoomId;
  mode: Mode;
  role: Role;
  privateMapKey?: string;
}

export interface Snapshot {
  sessionToken: string;
  roomId: RoomId;
  role: Role;
  privileges: number;
  users: UserInfo[];
  streams: StreamInfo[];
  published: StreamType[];
  subscribed: { userId: string; streamType: StreamType }[];
  mediaAvailable: boolean;
}

const SUBSCRIBE_ANSWER_TIMEOUT_MS = 10_000;

function streamInfo(userId: string, p: Publication): StreamInfo {
  return {
    userId,
    streamType: p.streamType,
    hasAudio: p.hasAudio,
    hasVideo: p.hasVideo,
    hasSmall: p.hasSmall,
    hasData: p.hasData,
    audioMuted: p.audioMuted,
    videoMuted: p.videoMuted,
  };
}

export class RoomService {
  readonly rooms = new Map<string, Room>();
  private readonly tokens = new Map<string, Member>();
  private janus?: JanusConnection;
  private mediaWasUp = false;
  private nextJanusRoom = 1000;
  private nextFeedId = 1;

  constructor(
    private readonly config: ServerConfig,
    private readonly webhooks: WebhookSender | undefined,
    private readonly log: (line: string) => void,
  ) {}

  // ---------------------------------------------------------------- media server lifecycle

  get mediaAvailable(): boolean {
    return this.janus?.isOpen === true;
  }

  /** Janus is (again) up: rooms are recreated on demand; clients are told to republish. */
  mediaUp(conn: JanusConnection): void {
    const restarted = this.mediaWasUp;
    this.mediaWasUp = true;
    this.janus = conn;
    for (const room of this.rooms.values()) room.janusReady = undefined;
    if (restarted) {
      for (const m of this.allMembers()) m.link?.event('media-ready', {});
    }
  }

  /** Janus died: every handle is gone. Announce lost streams and tell each client. */
  mediaDown(reason: string): void {
    this.janus = undefined;
    for (const room of this.rooms.values()) {
      room.janusReady = undefined;
      for (const m of room.members.values()) {
        for (const p of m.pubs.values()) {
          if (p.announced) this.broadcast(room, 'stream-removed', { userId: m.userId, streamType: p.streamType }, m);
        }
        const lost = [...m.pubs.keys()];
        m.pubs.clear();
        this.resetSubscriber(m, new ProtocolError(Code.MEDIA_SERVER_UNAVAILABLE, 'media server restarted'));
        m.link?.event('media-reset', {
          reason: 'media-server-restarted',
          message: `the media server stopped (${reason}); publish and subscribe again after "media-ready"`,
          unpublished: lost,
        });
      }
    }
  }

  private requireJanus(): JanusConnection {
    const j = this.janus;
    if (!j?.isOpen) {
      throw new ProtocolError(
        Code.MEDIA_SERVER_UNAVAILABLE,
        this.config.noJanus ? 'this server runs without a media server (--no-janus)' : 'media server is restarting',
      );
    }
    return j;
  }

  private ensureJanusRoom(room: Room): Promise<void> {
    const conn = this.requireJanus();
    if (!room.janusReady) {
      const p = createJanusRoom(conn, room.janusRoomId);
      room.janusReady = p;
      p.catch(() => {
        if (room.janusReady === p) room.janusReady = undefined;
      });
    }
    return room.janusReady;
  }

  // ---------------------------------------------------------------- join / leave

  private authenticate(req: JoinRequest): number {
    if (this.config.sdkAppId === 0) {
      throw new ProtocolError(Code.SDKAPPID_INVALID, 'this server has no sdkAppId/secretKey configured');
    }
    if (req.sdkAppId !== this.config.sdkAppId) {
      throw new ProtocolError(Code.SDKAPPID_INVALID, `sdkAppId ${req.sdkAppId} is not served here`);
    }
    const expected = { sdkAppId: this.config.sdkAppId, key: this.config.secretKey, userId: req.userId };
    try {
      verifySig(req.userSig, expected);
    } catch (e) {
      if (e instanceof SigError) throw new ProtocolError(e.code, e.message);
      throw e;
    }
    if (req.privateMapKey === undefined || req.privateMapKey === '') {
      if (this.config.requirePrivateMapKey) {
        throw new ProtocolError(Code.PRIVATE_MAP_KEY_REQUIRED, 'this server requires a privateMapKey to join');
      }
      return Privilege.ALL;
    }
    return this.checkPrivateMapKey(req.privateMapKey, req.userId, req.roomId);
  }

  private checkPrivateMapKey(key: string, userId: string, roomId: RoomId): number {
    const invalid = (why: string): never => {
      throw new ProtocolError(Code.PRIVATE_MAP_KEY_INVALID, `privateMapKey is invalid: ${why}`);
    };
    let sig;
    try {
      sig = verifySig(key, { sdkAppId: this.config.sdkAppId, key: this.config.secretKey, userId });
    } catch (e) {
      return invalid((e as Error).message);
    }
    if (!sig.userbuf) return invalid('it carries no userbuf (it is a plain UserSig)');
    let map;
    try {
      map = decodeUserbuf(sig.userbuf);
    } catch (e) {
      return invalid((e as Error).message);
    }
    if (map.userId !== userId || map.sdkAppId !== this.config.sdkAppId) invalid('issued for another user or app');
    const matches =
      typeof roomId === 'number' ? map.roomStr === undefined && map.roomId === roomId : map.roomStr === roomId;
    if (!matches) invalid('issued for another room');
    if (Math.floor(Date.now() / 1000) > map.expireAt) invalid('expired');
    return map.privileges;
  }

  join(req: JoinRequest, link: ClientLink): { member: Member; snapshot: Snapshot } {
    const privileges = this.authenticate(req);
    if ((privileges & Privilege.ENTER_ROOM) === 0) {
      throw new ProtocolError(Code.PRIVILEGE_DENIED, 'privateMapKey does not grant entering the room');
    }
    const key = roomKey(req.roomId);
    let room = this.rooms.get(key);
    if (room && room.mode !== req.mode) {
      throw new ProtocolError(Code.INVALID_PARAMETER, `room ${String(req.roomId)} is a '${room.mode}' room`);
    }
    const role: Role = req.mode === 'rtc' ? 'anchor' : req.role;
    const previous = room?.members.get(req.userId);
    if (room) {
      const others = [...room.members.values()].filter((m) => m !== previous);
      if (req.mode === 'rtc' && others.length >= Limits.RTC_ROOM_USERS) {
        throw new ProtocolError(Code.ROOM_FULL, `room is full (${Limits.RTC_ROOM_USERS} users in 'rtc' mode)`);
      }
      if (role === 'anchor' && req.mode === 'live') {
        if (others.filter((m) => m.role === 'anchor').length >= Limits.LIVE_ROOM_ANCHORS) {
          throw new ProtocolError(Code.ROOM_FULL, `room has ${Limits.LIVE_ROOM_ANCHORS} anchors; join as audience`);
        }
      }
    } else if ((privileges & Privilege.CREATE_ROOM) === 0) {
      throw new ProtocolError(
        Code.PRIVILEGE_DENIED,
        'privateMapKey does not grant creating the room, and it does not exist',
      );
    }
    if (previous) {
      previous.link?.ban('kick', 'client was banned because of duplicated userId joining');
      this.removeMember(previous, 3);
      room = this.rooms.get(key);
    }
    if (!room) room = this.createRoom(req.roomId, req.mode);
    const member: Member = {
      userId: req.userId,
      room,
      role,
      privileges,
      token: randomBytes(18).toString('base64url'),
      link,
      pubs: new Map(),
      sub: { queue: Promise.resolve(), subs: new Map(), streams: [] },
      joinedAt: Date.now(),
      msgWindow: { start: 0, bytes: 0 },
      gone: false,
    };
    room.members.set(member.userId, member);
    this.tokens.set(member.token, member);
    if (this.isVisible(member)) this.broadcast(room, 'peer-join', { userId: member.userId, role }, member);
    this.webhooks?.emit(EventType.ENTER_ROOM, {
      RoomId: room.roomId,
      UserId: member.userId,
      Role: ROLE_CODE[role],
      TerminalType: 100,
      UserType: 1,
      Reason: 1,
    });
    return { member, snapshot: this.snapshot(member) };
  }

  /** Re-binds a member whose connection dropped (within the grace period). */
  resume(token: string, link: ClientLink): { member: Member; snapshot: Snapshot } {
    const member = this.tokens.get(token);
    if (!member || member.gone) {
      throw new ProtocolError(Code.INVALID_OPERATION, 'session expired or unknown: join the room again');
    }
    clearTimeout(member.graceTimer);
    member.graceTimer = undefined;
    if (member.link && member.link !== link) member.link.ban('kick', 'session resumed on another connection');
    member.link = link;
    return { member, snapshot: this.snapshot(member) };
  }

  /** The member's connection dropped: keep it for the grace period, then announce it left. */
  disconnected(member: Member): void {
    if (member.gone) return;
    member.link = undefined;
    clearTimeout(member.graceTimer);
    member.graceTimer = setTimeout(() => {
      if (!member.link) this.removeMember(member, 2);
    }, this.config.graceSeconds * 1000);
    member.graceTimer.unref();
  }

  leave(member: Member): void {
    this.removeMember(member, 1);
  }

  /** Removes a member: media released, `peer-leave`, webhook 104 with the given Reason. */
  removeMember(member: Member, reason: number): void {
    if (member.gone) return;
    member.gone = true;
    clearTimeout(member.graceTimer);
    this.tokens.delete(member.token);
    const room = member.room;
    if (room.members.get(member.userId) === member) room.members.delete(member.userId);
    for (const p of member.pubs.values()) this.dropPublication(member, p, false);
    member.pubs.clear();
    this.resetSubscriber(member, new ProtocolError(Code.INVALID_OPERATION, 'left the room'));
    if (this.isVisible(member)) {
      this.broadcast(room, 'peer-leave', { userId: member.userId, reason: reason === 2 ? 'timeout' : 'leave' });
    }
    this.webhooks?.emit(EventType.EXIT_ROOM, {
      RoomId: room.roomId,
      UserId: member.userId,
      Role: ROLE_CODE[member.role],
      Reason: reason,
    });
    if (room.members.size === 0) this.closeRoom(room);
  }

  private createRoom(roomId: RoomId, mode: Mode): Room {
    const room: Room = {
      key: roomKey(roomId),
      roomId,
      mode,
      members: new Map(),
      janusRoomId: this.nextJanusRoom++,
      createdAt: Date.now(),
      msgWindow: { start: 0, count: 0 },
      msgSeq: 0,
    };
    this.rooms.set(room.key, room);
    this.webhooks?.emit(EventType.CREATE_ROOM, { RoomId: roomId });
    return room;
  }

  private closeRoom(room: Room): void {
    this.rooms.delete(room.key);
    const j = this.janus;
    if (room.janusReady && j?.isOpen) {
      void room.janusReady.then(
        () => destroyJanusRoom(j, room.janusRoomId),
        () => undefined,
      );
    }
    this.webhooks?.emit(EventType.DISMISS_ROOM, { RoomId: room.roomId });
  }

  /** REST DismissRoom: everyone gets `client-banned` (room-disband), then the room closes. */
  dismissRoom(roomId: RoomId): boolean {
    const room = this.rooms.get(roomKey(roomId));
    if (!room) return false;
    for (const m of [...room.members.values()]) {
      m.link?.ban('room-disband', 'client was banned because the room was dismissed');
      this.removeMember(m, 3);
    }
    return true;
  }

  /** REST RemoveUser: each listed user gets `client-banned` (banned). Returns who was removed, or undefined for no room. */
  removeUsers(roomId: RoomId, userIds: string[]): string[] | undefined {
    const room = this.rooms.get(roomKey(roomId));
    if (!room) return undefined;
    const removed: string[] = [];
    for (const id of userIds) {
      const m = room.members.get(id);
      if (!m) continue;
      m.link?.ban('banned', 'client was banned because you got banned by account admin');
      this.removeMember(m, 3);
      removed.push(id);
    }
    return removed;
  }

  // ---------------------------------------------------------------- roles

  switchRole(member: Member, role: Role, privateMapKey?: string): void {
    const room = member.room;
    if (room.mode !== 'live') throw new ProtocolError(Code.INVALID_OPERATION, "switchRole works only in 'live' mode");
    if (privateMapKey) member.privileges = this.checkPrivateMapKey(privateMapKey, member.userId, room.roomId);
    if (role === member.role) return;
    if (role === 'anchor') {
      const anchors = [...room.members.values()].filter((m) => m.role === 'anchor').length;
      if (anchors >= Limits.LIVE_ROOM_ANCHORS) {
        throw new ProtocolError(Code.SWITCH_ROLE_FAILED, `room already has ${Limits.LIVE_ROOM_ANCHORS} anchors`);
      }
    } else {
      for (const p of member.pubs.values()) this.dropPublication(member, p, true);
      member.pubs.clear();
    }
    const wasVisible = this.isVisible(member);
    member.role = role;
    const visible = this.isVisible(member);
    if (!wasVisible && visible) this.broadcast(room, 'peer-join', { userId: member.userId, role }, member);
    if (wasVisible && !visible) this.broadcast(room, 'peer-leave', { userId: member.userId, reason: 'role' }, member);
    this.webhooks?.emit(EventType.CHANGE_ROLE, { RoomId: room.roomId, UserId: member.userId, Role: ROLE_CODE[role] });
  }

  updatePrivateMapKey(member: Member, key: string): number {
    member.privileges = this.checkPrivateMapKey(key, member.userId, member.room.roomId);
    return member.privileges;
  }

  // ---------------------------------------------------------------- publish

  async publish(
    member: Member,
    streamType: StreamType,
    offer: string,
    want: { audio: boolean; video: boolean },
  ): Promise<{ sdp: string }> {
    const room = member.room;
    if (member.role !== 'anchor') {
      throw new ProtocolError(Code.INVALID_OPERATION, "audience cannot publish: switchRole('anchor') first");
    }
    if (member.pubs.has(streamType)) {
      throw new ProtocolError(Code.INVALID_OPERATION, 'duplicate publishing, please unpublish and then re-publish');
    }
    const hasAudio = want.audio && /^m=audio /m.test(offer);
    const hasVideo = want.video && /^m=video /m.test(offer);
    if (!hasAudio && !hasVideo) {
      throw new ProtocolError(Code.INVALID_PARAMETER, 'publish: the offer has no audio or video to publish');
    }
    if (streamType === 'aux' && (member.privileges & Privilege.SEND_SUB_VIDEO) === 0) {
      throw new ProtocolError(Code.NO_PRIVILEGE_SUB_VIDEO, 'privateMapKey does not grant sending the sub-stream');
    }
    if (streamType === 'main') {
      if (hasAudio && (member.privileges & Privilege.SEND_AUDIO) === 0) {
        throw new ProtocolError(Code.PRIVILEGE_DENIED, 'privateMapKey does not grant sending audio');
      }
      if (hasVideo && (member.privileges & Privilege.SEND_VIDEO) === 0) {
        throw new ProtocolError(Code.PRIVILEGE_DENIED, 'privateMapKey does not grant sending video');
      }
    }
    if (member.pubs.size === 0) {
      const publishers = [...room.members.values()].filter((m) => m.pubs.size > 0).length;
      if (publishers >= Limits.PUBLISHERS) {
        throw new ProtocolError(
          Code.TOO_MANY_PUBLISHERS,
          `room already has ${Limits.PUBLISHERS} publishers; unpublish someone or join as audience`,
        );
      }
    }
    const conn = this.requireJanus();
    const pub: Publication = {
      streamType,
      feedId: this.nextFeedId++,
      hasAudio,
      hasVideo,
      hasSmall: false,
      hasData: /^m=application /m.test(offer),
      audioMuted: false,
      videoMuted: false,
      announced: false,
      negotiating: true,
      streams: [],
    };
    // Reserve the slot now so concurrent publishes count against the limit.
    member.pubs.set(streamType, pub);
    const relay = new HandleRelay(conn, (c) => member.link?.event('trickle', { target: streamType, candidate: c }));
    pub.relay = relay;
    try {
      await this.ensureJanusRoom(room);
      await relay.attach((e) => this.onPublisherEvent(member, pub, e));
      if (member.pubs.get(streamType) !== pub) throw new ProtocolError(Code.INVALID_OPERATION, 'unpublished meanwhile');
      await relay.message({
        request: 'join',
        ptype: 'publisher',
        room: room.janusRoomId,
        id: pub.feedId,
        display: feedDisplay(member.userId, streamType),
      });
      const res = await relay.message(
        { request: 'publish', audio: hasAudio, video: hasVideo, data: pub.hasData },
        { type: 'offer', sdp: offer },
      );
      if (!res.jsep || res.jsep.type !== 'answer') throw new Error('media server sent no answer');
      pub.streams = parseFeedStreams(res.data);
      pub.hasSmall = pub.streams.some((s) => s.type === 'video' && s.simulcast);
      pub.negotiating = false;
      setImmediate(() => relay.markClientReady());
      return { sdp: res.jsep.sdp };
    } catch (e) {
      if (member.pubs.get(streamType) === pub) member.pubs.delete(streamType);
      void relay.close();
      if (e instanceof ProtocolError) throw e;
      if (e instanceof JanusError && e.code < 0) {
        throw new ProtocolError(Code.MEDIA_SERVER_UNAVAILABLE, `media server: ${e.message}`);
      }
      throw new ProtocolError(Code.INVALID_PARAMETER, `publish failed: ${(e as Error).message}`);
    }
  }

  /**
   * ICE restart of a publishing PeerConnection: the client's new offer (made with iceRestart) goes
   * to Janus on the existing publisher handle as a renegotiation (`configure` with the JSEP). The
   * publication stays as it is: others see nothing.
   */
  async restartPublisherIce(member: Member, streamType: StreamType, offer: string): Promise<{ sdp: string }> {
    const pub = member.pubs.get(streamType);
    const relay = pub?.relay;
    if (!pub || !relay) throw new ProtocolError(Code.INVALID_OPERATION, `not publishing the ${streamType} stream`);
    if (pub.negotiating) {
      throw new ProtocolError(
        Code.INVALID_OPERATION,
        `the ${streamType} stream is still negotiating; wait for the previous publish or restartIce reply`,
      );
    }
    this.requireJanus();
    pub.negotiating = true;
    // Janus's candidates for the restarted ICE session follow the reply, as after publish.
    relay.holdClientCandidates();
    try {
      const res = await relay.message({ request: 'configure' }, { type: 'offer', sdp: offer });
      if (member.pubs.get(streamType) !== pub) throw new ProtocolError(Code.INVALID_OPERATION, 'unpublished meanwhile');
      if (!res.jsep || res.jsep.type !== 'answer') throw new Error('media server sent no answer');
      return { sdp: res.jsep.sdp };
    } catch (e) {
      if (e instanceof ProtocolError) throw e;
      if (e instanceof JanusError && e.code < 0) {
        throw new ProtocolError(Code.MEDIA_SERVER_UNAVAILABLE, `media server: ${e.message}`);
      }
      throw new ProtocolError(Code.INVALID_PARAMETER, `restartIce failed: ${(e as Error).message}`);
    } finally {
      pub.negotiating = false;
      if (member.pubs.get(streamType) === pub) setImmediate(() => relay.markClientReady());
    }
  }

  private onPublisherEvent(member: Member, pub: Publication, e: HandleEvent): void {
    if (member.pubs.get(pub.streamType) !== pub) return;
    if (e.kind === 'webrtcup' && !pub.announced) {
      pub.announced = true;
      this.broadcast(member.room, 'stream-added', streamInfo(member.userId, pub), member);
      member.link?.event('published', { streamType: pub.streamType });
      this.mediaWebhooks(member, pub, true);
    } else if (e.kind === 'hangup' || e.kind === 'detached') {
      member.pubs.delete(pub.streamType);
      this.dropPublication(member, pub, true);
      member.link?.event('unpublished', { streamType: pub.streamType, reason: e.message.reason ?? 'hangup' });
    }
  }

  private mediaWebhooks(member: Member, pub: Publication, start: boolean): void {
    const info = { RoomId: member.room.roomId, UserId: member.userId, Reason: 0 };
    if (pub.streamType === 'aux') {
      this.webhooks?.emit(start ? EventType.START_ASSIT : EventType.STOP_ASSIT, info);
      return;
    }
    if (pub.hasVideo) this.webhooks?.emit(start ? EventType.START_VIDEO : EventType.STOP_VIDEO, info);
    if (pub.hasAudio) this.webhooks?.emit(start ? EventType.START_AUDIO : EventType.STOP_AUDIO, info);
  }

  unpublish(member: Member, streamType: StreamType): void {
    const pub = member.pubs.get(streamType);
    if (!pub) throw new ProtocolError(Code.INVALID_OPERATION, `not publishing the ${streamType} stream`);
    member.pubs.delete(streamType);
    this.dropPublication(member, pub, true);
  }

  /** Releases a publication: Janus handle, subscriptions of others, `stream-removed`. */
  private dropPublication(member: Member, pub: Publication, webhooks: boolean): void {
    void pub.relay?.close();
    pub.relay = undefined;
    for (const other of member.room.members.values()) {
      if (other.sub.subs.get(pub.feedId)?.pub === pub) other.sub.subs.delete(pub.feedId);
    }
    if (pub.announced) {
      pub.announced = false;
      this.broadcast(member.room, 'stream-removed', { userId: member.userId, streamType: pub.streamType }, member);
      if (webhooks) this.mediaWebhooks(member, pub, false);
    }
  }

  trickle(member: Member, target: StreamType | 'sub', candidate: Parameters<HandleRelay['trickle']>[0]): void {
    const relay = target === 'sub' ? member.sub.relay : member.pubs.get(target)?.relay;
    if (!relay) throw new ProtocolError(Code.INVALID_OPERATION, `no ${target} connection to trickle to`);
    relay.trickle(candidate);
  }

  setMuted(member: Member, streamType: StreamType, kind: 'audio' | 'video', muted: boolean): void {
    const pub = member.pubs.get(streamType);
    if (!pub) throw new ProtocolError(Code.INVALID_OPERATION, `not publishing the ${streamType} stream`);
    const field = kind === 'audio' ? 'audioMuted' : 'videoMuted';
    if (pub[field] === muted) return;
    pub[field] = muted;
    if (!pub.announced) return;
    this.broadcast(
      member.room,
      'mute-state',
      { userId: member.userId, streamType, audioMuted: pub.audioMuted, videoMuted: pub.videoMuted },
      member,
    );
    const info = { RoomId: member.room.roomId, UserId: member.userId, Reason: 0 };
    if (streamType === 'aux') this.webhooks?.emit(muted ? EventType.STOP_ASSIT : EventType.START_ASSIT, info);
    else if (kind === 'audio') this.webhooks?.emit(muted ? EventType.STOP_AUDIO : EventType.START_AUDIO, info);
    else this.webhooks?.emit(muted ? EventType.STOP_VIDEO : EventType.START_VIDEO, info);
  }

  // ---------------------------------------------------------------- subscribe

  private findPublication(member: Member, userId: string, streamType: StreamType): { owner: Member; pub: Publication } {
    const owner = member.room.members.get(userId);
    const pub = owner?.pubs.get(streamType);
    if (!owner || !pub || !pub.announced || owner === member) {
      throw new ProtocolError(Code.REMOTE_STREAM_NOT_EXIST, `${userId} does not publish a ${streamType} stream`);
    }
    return { owner, pub };
  }

  /** Runs one negotiation step on the member's subscriber PeerConnection, one at a time. */
  private serialize<T>(member: Member, fn: () => Promise<T>): Promise<T> {
    const run = member.sub.queue.then(fn, fn);
    // A step that handed out an offer keeps the queue until the client has answered it.
    member.sub.queue = run.then((r) => (r as { done?: Promise<void> } | undefined)?.done).catch(() => undefined);
    return run;
  }

  subscribe(
    member: Member,
    userId: string,
    streamType: StreamType,
    opts: { audio: boolean; video: boolean; small: boolean },
  ): Promise<SubscribeResult> {
    const { owner, pub } = this.findPublication(member, userId, streamType);
    if (!opts.audio && !opts.video)
      throw new ProtocolError(Code.INVALID_PARAMETER, 'subscribe: audio or video must be true');
    const audio = opts.audio && pub.hasAudio;
    const video = opts.video && pub.hasVideo;
    if (audio && (member.privileges & Privilege.RECV_AUDIO) === 0) {
      throw new ProtocolError(Code.PRIVILEGE_DENIED, 'privateMapKey does not grant receiving audio');
    }
    const videoBit = streamType === 'aux' ? Privilege.RECV_SUB_VIDEO : Privilege.RECV_VIDEO;
    if (video && (member.privileges & videoBit) === 0) {
      throw new ProtocolError(Code.PRIVILEGE_DENIED, `privateMapKey does not grant receiving ${streamType} video`);
    }
    return this.serialize(member, async () => {
      const conn = this.requireJanus();
      if (!owner.pubs.has(streamType) || owner.pubs.get(streamType) !== pub || !pub.announced) {
        throw new ProtocolError(Code.REMOTE_STREAM_NOT_EXIST, `${userId} stopped publishing`);
      }
      const sub = member.sub;
      const existing = sub.subs.get(pub.feedId);
      const wanted = pub.streams.filter(
        (s) => (s.type === 'audio' && audio) || (s.type === 'video' && video) || s.type === 'data',
      );
      const have = new Set(existing ? this.subscribedMids(sub, pub.feedId) : []);
      const add = wanted.filter((s) => !have.has(s.mid));
      const remove = [...have].filter((mid) => !wanted.some((s) => s.mid === mid));
      const substream = opts.small ? 0 : 2;
      const toJanus = add.map((s) => ({
        feed: pub.feedId,
        mid: s.mid,
        ...(s.type === 'video' && s.simulcast ? { substream } : {}),
      }));
      const entry = { pub, owner, audio, video, small: opts.small };
      let res: { data: Record<string, unknown>; jsep?: Jsep };
      if (!sub.relay) {
        await this.ensureJanusRoom(member.room);
        const relay = new HandleRelay(conn, (c) => member.link?.event('trickle', { target: 'sub', candidate: c }));
        sub.relay = relay;
        try {
          await relay.attach((e) => this.onSubscriberEvent(member, relay, e));
          res = await relay.message({
            request: 'join',
            ptype: 'subscriber',
            room: member.room.janusRoomId,
            streams: toJanus,
            use_msid: true,
          });
        } catch (e) {
          // Leave no half-made subscriber behind: the next subscribe starts afresh.
          if (sub.relay === relay) this.resetSubscriber(member, e as Error);
          throw e;
        }
        sub.subs.set(pub.feedId, entry);
      } else {
        if (existing && existing.small !== opts.small) await this.configureSubstream(member, pub.feedId, opts.small);
        const body: Record<string, unknown> = { request: 'update' };
        if (toJanus.length) body.subscribe = toJanus;
        if (remove.length) body.unsubscribe = remove.map((mid) => ({ feed: pub.feedId, mid }));
        if (!toJanus.length && !remove.length) {
          sub.subs.set(pub.feedId, entry);
          return this.subscribeResult(member);
        }
        res = await sub.relay.message(body);
        sub.subs.set(pub.feedId, entry);
      }
      return this.negotiate(member, res);
    });
  }

  /**
   * ICE restart of the subscriber PeerConnection: Janus makes a new offer with fresh ICE
   * credentials (`configure` with `restart`), handed out like any subscriber offer, through the
   * same queue and with the same answer timeout.
   */
  restartSubscriberIce(member: Member): Promise<SubscribeResult> {
    const noConnection = (): ProtocolError =>
      new ProtocolError(Code.INVALID_OPERATION, 'no subscriber connection to restart: subscribe first');
    if (!member.sub.relay) throw noConnection();
    return this.serialize(member, async () => {
      const relay = member.sub.relay;
      if (!relay) throw noConnection();
      this.requireJanus();
      // Janus's candidates for the restarted ICE session follow the reply (negotiate releases them).
      relay.holdClientCandidates();
      let res: { data: Record<string, unknown>; jsep?: Jsep };
      try {
        res = await relay.message({ request: 'configure', restart: true });
      } catch (e) {
        relay.markClientReady();
        throw e;
      }
      if (member.sub.relay !== relay) throw noConnection();
      if (res.jsep?.type !== 'offer') {
        relay.markClientReady();
        throw new ProtocolError(Code.MEDIA_SERVER_UNAVAILABLE, 'media server sent no ICE-restart offer');
      }
      return this.negotiate(member, res);
    });
  }

  private subscribedMids(sub: Subscriber, feedId: number): string[] {
    return sub.streams.filter((s) => s.active && s.feedId === feedId).map((s) => s.feedMid);
  }

  private findSubscription(member: Member, userId: string, streamType: StreamType): Subscription {
    for (const s of member.sub.subs.values()) {
      if (s.owner.userId === userId && s.pub.streamType === streamType) return s;
    }
    throw new ProtocolError(Code.INVALID_OPERATION, `not subscribed to ${userId}'s ${streamType} stream`);
  }

  unsubscribe(member: Member, userId: string, streamType: StreamType): Promise<SubscribeResult> {
    return this.serialize(member, async () => {
      const entry = this.findSubscription(member, userId, streamType);
      const relay = member.sub.relay;
      if (!relay) throw new ProtocolError(Code.INVALID_OPERATION, `not subscribed to ${userId}'s ${streamType} stream`);
      member.sub.subs.delete(entry.pub.feedId);
      this.requireJanus();
      const res = await relay.message({ request: 'update', unsubscribe: [{ feed: entry.pub.feedId }] });
      return this.negotiate(member, res);
    });
  }

  setRemoteVideoStreamType(member: Member, userId: string, streamType: StreamType, small: boolean): Promise<void> {
    return this.serialize(member, async () => {
      const entry = this.findSubscription(member, userId, streamType);
      if (!entry.pub.hasSmall && small) {
        throw new ProtocolError(Code.INVALID_OPERATION, `${userId} does not publish a small stream`);
      }
      entry.small = small;
      await this.configureSubstream(member, entry.pub.feedId, small);
    });
  }

  private async configureSubstream(member: Member, feedId: number, small: boolean): Promise<void> {
    const relay = member.sub.relay;
    if (!relay) return;
    const mids = member.sub.streams.filter((s) => s.active && s.feedId === feedId && s.type === 'video');
    if (!mids.length) return;
    await relay.message({ request: 'configure', streams: mids.map((s) => ({ mid: s.mid, substream: small ? 0 : 2 })) });
  }

  /** Hands Janus's offer to the client in the reply and waits for `subscriberAnswer`. */
  private async negotiate(
    member: Member,
    res: { data: Record<string, unknown>; jsep?: Jsep },
  ): Promise<SubscribeResult> {
    const sub = member.sub;
    if (Array.isArray(res.data.streams)) sub.streams = parseSubStreams(res.data);
    if (!res.jsep) return this.subscribeResult(member);
    const offer = res.jsep.sdp;
    const answered = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        // Janus waits for an answer that will not come: start the subscriber over.
        const why = new ProtocolError(Code.SERVER_TIMEOUT, 'no subscriberAnswer within 10 s');
        sub.awaitingAnswer = undefined;
        this.resetSubscriber(member, why);
        member.link?.event('subscriber-reset', { reason: 'answer-timeout' });
        reject(why);
      }, SUBSCRIBE_ANSWER_TIMEOUT_MS);
      sub.awaitingAnswer = {
        resolve: (sdp) => {
          clearTimeout(timer);
          resolve(sdp);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
    });
    // The reply goes out now; the queue stays locked until the answer arrives.
    const result = this.subscribeResult(member, offer);
    const relay = sub.relay;
    void answered.then(
      async (sdp) => {
        try {
          await relay?.message({ request: 'start' }, { type: 'answer', sdp });
        } catch (e) {
          this.log(`subscriber start failed for ${member.userId}: ${(e as Error).message}`);
        }
      },
      () => undefined,
    );
    setImmediate(() => relay?.markClientReady());
    result.done = answered.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  private subscribeResult(member: Member, offer?: string): SubscribeResult {
    const streams = member.sub.streams.map((s) => {
      const entry = member.sub.subs.get(s.feedId);
      return {
        mid: s.mid,
        kind: s.type,
        active: s.active && (entry !== undefined || s.type === 'data'),
        userId: entry?.owner.userId ?? null,
        streamType: entry?.pub.streamType ?? null,
      };
    });
    return { sdp: offer, streams };
  }

  subscriberAnswer(member: Member, sdp: string): void {
    const waiting = member.sub.awaitingAnswer;
    if (!waiting) throw new ProtocolError(Code.INVALID_OPERATION, 'no subscriber offer is waiting for an answer');
    member.sub.awaitingAnswer = undefined;
    waiting.resolve(sdp);
  }

  private onSubscriberEvent(member: Member, relay: HandleRelay, e: HandleEvent): void {
    if (member.sub.relay !== relay) return;
    if (e.kind === 'hangup' || e.kind === 'detached') {
      this.resetSubscriber(member, new ProtocolError(Code.INVALID_OPERATION, 'subscriber connection closed'));
      member.link?.event('subscriber-reset', { reason: e.message.reason ?? 'hangup' });
      return;
    }
    if (e.kind !== 'plugin' || !e.data) return;
    // Unsolicited renegotiation (e.g. a publisher left): forward the offer through the queue.
    if (e.jsep?.type === 'offer') {
      const res = { data: e.data, jsep: e.jsep };
      void this.serialize(member, async () => {
        const r = await this.negotiate(member, res);
        const { done, ...payload } = r;
        member.link?.event('subscriber-offer', payload);
        return { done };
      }).catch(() => undefined);
    } else if (Array.isArray(e.data.streams)) {
      member.sub.streams = parseSubStreams(e.data);
    }
  }

  /**
   * `resetSubscriber`: the client gave up on its subscriber connection (e.g. an ICE restart did not
   * help). The Janus subscriber is detached and every subscription dropped, as after
   * `subscriber-reset`; the next `subscribe` starts a new connection.
   */
  clientResetSubscriber(member: Member): void {
    this.resetSubscriber(member, new ProtocolError(Code.INVALID_OPERATION, 'subscriber reset by the client'));
  }

  private resetSubscriber(member: Member, why: Error): void {
    const sub = member.sub;
    sub.awaitingAnswer?.reject(why);
    sub.awaitingAnswer = undefined;
    void sub.relay?.close();
    sub.relay = undefined;
    sub.subs.clear();
    sub.streams = [];
  }

  // ---------------------------------------------------------------- messages

  sendCustomMessage(member: Member, cmdId: number, data: string): number {
    const bytes = Buffer.from(data, 'base64');
    if (bytes.length > Limits.CUSTOM_MESSAGE_BYTES) {
      throw new ProtocolError(Code.MESSAGE_TOO_LARGE, `custom message is ${bytes.length} bytes; the limit is 1000`);
    }
    if (member.role !== 'anchor') throw new ProtocolError(Code.INVALID_OPERATION, 'only anchors send custom messages');
    const now = Date.now();
    const room = member.room;
    if (now - room.msgWindow.start >= 1000) room.msgWindow = { start: now, count: 0 };
    if (now - member.msgWindow.start >= 1000) member.msgWindow = { start: now, bytes: 0 };
    if (room.msgWindow.count >= Limits.CUSTOM_MESSAGES_PER_SECOND_ROOM) {
      throw new ProtocolError(Code.RATE_LIMITED, 'room sends more than 30 custom messages per second');
    }
    if (member.msgWindow.bytes + bytes.length > Limits.CUSTOM_MESSAGE_BYTES_PER_SECOND_CLIENT) {
      throw new ProtocolError(Code.RATE_LIMITED, 'client sends more than 8 KB of custom messages per second');
    }
    room.msgWindow.count++;
    member.msgWindow.bytes += bytes.length;
    const seq = ++room.msgSeq;
    this.broadcast(
      room,
      'custom-message',
      { userId: member.userId, cmdId, seq, data: bytes.toString('base64') },
      member,
    );
    return seq;
  }

  // ---------------------------------------------------------------- helpers

  /** In live rooms the audience is not announced to others. */
  private isVisible(member: Member): boolean {
    return member.room.mode === 'rtc' || member.role === 'anchor';
  }

  private broadcast(room: Room, event: string, data: unknown, except?: Member): void {
    for (const m of room.members.values()) if (m !== except) m.link?.event(event, data);
  }

  private *allMembers(): Iterable<Member> {
    for (const room of this.rooms.values()) yield* room.members.values();
  }

  snapshot(member: Member): Snapshot {
    const room = member.room;
    const users: UserInfo[] = [];
    const streams: StreamInfo[] = [];
    for (const m of room.members.values()) {
      if (m === member) continue;
      if (this.isVisible(m)) users.push({ userId: m.userId, role: m.role });
      for (const p of m.pubs.values()) if (p.announced) streams.push(streamInfo(m.userId, p));
    }
    return {
      sessionToken: member.token,
      roomId: room.roomId,
      role: member.role,
      privileges: member.privileges,
      users,
      streams,
      published: [...member.pubs.values()].filter((p) => p.relay).map((p) => p.streamType),
      subscribed: [...member.sub.subs.values()].map((s) => ({ userId: s.owner.userId, streamType: s.pub.streamType })),
      mediaAvailable: this.mediaAvailable,
    };
  }

  describeRooms(): { RoomId: RoomId; Mode: Mode; Users: number; Publishers: number; CreateTime: number }[] {
    return [...this.rooms.values()].map((r) => ({
      RoomId: r.roomId,
      Mode: r.mode,
      Users: r.members.size,
      Publishers: [...r.members.values()].filter((m) => [...m.pubs.values()].some((p) => p.announced)).length,
      CreateTime: Math.floor(r.createdAt / 1000),
    }));
  }

  describeUsers(
    roomId: RoomId,
  ): { UserId: string; Role: Role; Online: boolean; Streams: StreamType[]; JoinTime: number }[] | undefined {
    const room = this.rooms.get(roomKey(roomId));
    if (!room) return undefined;
    return [...room.members.values()].map((m) => ({
      UserId: m.userId,
      Role: m.role,
      Online: m.link !== undefined,
      Streams: [...m.pubs.values()].filter((p) => p.announced).map((p) => p.streamType),
      JoinTime: Math.floor(m.joinedAt / 1000),
    }));
  }

  /** Server shutdown: stop timers. */
  close(): void {
    for (const m of this.allMembers()) clearTimeout(m.graceTimer);
  }
}

export interface SubscribeResult {
  /** Janus's offer for the subscriber PeerConnection, when it changed; answer with subscriberAnswer. */
  sdp?: string;
  /** Every m-line of the subscriber PeerConnection and whose media it carries. */
  streams: { mid: string; kind: string; active: boolean; userId: string | null; streamType: StreamType | null }[];
  /** Internal: settles when the client answered (not sent to the client). */
  done?: Promise<void>;
}
