// The media side of a room, on Janus VideoRoom: one Janus room per server room, one publisher
// handle per published stream (main, aux), one subscriber handle per client carrying all of its
// subscriptions (multistream subscribe/update/unsubscribe, one PeerConnection).
import type { HandleEvent, JanusConnection, Jsep } from './janus/connection.js';
import { Code, ProtocolError, type StreamType } from './protocol.js';

/** One media stream of a publisher, as Janus lists it. */
export interface FeedStream {
  type: 'audio' | 'video' | 'data';
  mid: string;
  simulcast: boolean;
}

/** A subscriber-side stream: the subscriber's mid and the feed stream it carries. */
export interface SubStream {
  mid: string;
  feedId: number;
  feedMid: string;
  type: 'audio' | 'video' | 'data';
  active: boolean;
}

type CandidateInit = { candidate: string; sdpMid?: string | null; sdpMLineIndex?: number | null } | null;

/**
 * A Janus handle with the two trickle buffers a signaling relay needs: candidates from the client
 * wait until the handle exists, candidates from Janus wait until the client has the SDP they
 * belong to (Janus sends them before its answer could have been applied).
 */
export class HandleRelay {
  handleId = 0;
  private toJanus: CandidateInit[] = [];
  private toClient: CandidateInit[] = [];
  private clientReady = false;
  closed = false;

  constructor(
    private readonly conn: JanusConnection,
    private readonly sendToClient: (c: CandidateInit) => void,
  ) {}

  async attach(onEvent: (e: HandleEvent) => void): Promise<void> {
    this.handleId = await this.conn.attach((e) => {
      if (e.kind === 'trickle') {
        const c = e.message.candidate;
        const init: CandidateInit =
          !c || c.completed
            ? null
            : { candidate: c.candidate ?? '', sdpMid: c.sdpMid ?? null, sdpMLineIndex: c.sdpMLineIndex ?? null };
        if (this.clientReady) this.sendToClient(init);
        else this.toClient.push(init);
        return;
      }
      onEvent(e);
    });
    if (this.closed) {
      await this.conn.detach(this.handleId);
      return;
    }
    const queued = this.toJanus;
    this.toJanus = [];
    for (const c of queued) void this.conn.trickle(this.handleId, c).catch(() => undefined);
  }

  /** A candidate from the client. */
  trickle(c: CandidateInit): void {
    if (this.handleId === 0) this.toJanus.push(c);
    else void this.conn.trickle(this.handleId, c).catch(() => undefined);
  }

  /** Janus's next candidates belong to an SDP the client does not have yet: hold them until markClientReady. */
  holdClientCandidates(): void {
    this.clientReady = false;
  }

  /** The client now has the SDP: flush Janus's candidates. */
  markClientReady(): void {
    if (this.clientReady) return;
    this.clientReady = true;
    const queued = this.toClient;
    this.toClient = [];
    for (const c of queued) this.sendToClient(c);
  }

  message(body: Record<string, unknown>, jsep?: Jsep): Promise<{ data: Record<string, unknown>; jsep?: Jsep }> {
    return this.conn.message(this.handleId, body, jsep);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.handleId !== 0) await this.conn.detach(this.handleId);
  }
}

export function parseFeedStreams(data: Record<string, unknown>): FeedStream[] {
  const list = Array.isArray(data.streams) ? (data.streams as Record<string, unknown>[]) : [];
  return list
    .filter((s) => (s.type === 'audio' || s.type === 'video' || s.type === 'data') && typeof s.mid === 'string')
    .filter((s) => s.disabled !== true)
    .map((s) => ({ type: s.type as FeedStream['type'], mid: s.mid as string, simulcast: s.simulcast === true }));
}

export function parseSubStreams(data: Record<string, unknown>): SubStream[] {
  const list = Array.isArray(data.streams) ? (data.streams as Record<string, unknown>[]) : [];
  return list
    .filter((s) => typeof s.mid === 'string' && (s.type === 'audio' || s.type === 'video' || s.type === 'data'))
    .map((s) => ({
      mid: s.mid as string,
      feedId: typeof s.feed_id === 'number' ? s.feed_id : 0,
      feedMid: typeof s.feed_mid === 'string' ? s.feed_mid : '',
      type: s.type as SubStream['type'],
      // Janus carries the data of every feed on one shared m-line without a feed_id.
      active: s.active !== false && (typeof s.feed_id === 'number' || s.type === 'data'),
    }));
}

/** Creates the Janus room for a server room (idempotent per Janus incarnation). */
export async function createJanusRoom(conn: JanusConnection, janusRoomId: number): Promise<void> {
  const h = await conn.attach(() => undefined);
  try {
    await conn.message(h, {
      request: 'create',
      room: janusRoomId,
      permanent: false,
      is_private: true,
      // Server rules cap publishers at 50 users; each may publish main + aux.
      publishers: 100,
      audiocodec: 'opus',
      videocodec: 'vp8,h264,vp9',
      fir_freq: 10,
      notify_joining: false,
      bitrate: 0,
    });
  } catch (e) {
    throw new ProtocolError(Code.ROOM_CREATE_FAILED, `media server could not create the room: ${(e as Error).message}`);
  } finally {
    await conn.detach(h);
  }
}

/** Destroys the Janus room; never rejects (the room may already be gone with a Janus restart). */
export async function destroyJanusRoom(conn: JanusConnection, janusRoomId: number): Promise<void> {
  try {
    const h = await conn.attach(() => undefined);
    try {
      await conn.message(h, { request: 'destroy', room: janusRoomId, permanent: false });
    } finally {
      await conn.detach(h);
    }
  } catch {
    // already gone
  }
}

/** The Janus display string of a publisher: who and which stream, for logs and Janus's own lists. */
export function feedDisplay(userId: string, streamType: StreamType): string {
  return JSON.stringify({ userId, streamType });
}
