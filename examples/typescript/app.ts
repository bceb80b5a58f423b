// A small TypeScript app written against the SDK's published types (types/index.d.ts). The test
// suite compiles it (`tsc -p examples/typescript`), so a change that breaks the typed API fails CI.
// The `@ts-expect-error` lines check that wrong calls are compile errors.
import TRTC, { type Client, type LocalStream, type RemoteStream, RtcError } from 'trtc-web-wasm';

export async function startCall(roomId: number, userId: string, userSig: string): Promise<Client> {
  const check = await TRTC.checkSystemRequirements();
  if (!check.result) throw new Error(`browser not supported: ${JSON.stringify(check.detail)}`);

  const client = TRTC.createClient({ mode: 'rtc', sdkAppId: 1400000001, userId, userSig, autoSubscribe: true });
  client.on('peer-join', (e) => console.log('joined:', e.userId.toUpperCase()));
  client.on('stream-added', ({ stream }) => console.log('stream', stream.getUserId(), stream.getType()));
  client.on('stream-subscribed', ({ stream }) => void play(stream));
  client.on('network-quality', (e) => console.log(e.uplinkNetworkQuality, e.downlinkRTT));
  client.on('audio-volume', ({ result }) => result.forEach((r) => console.log(r.userId, r.audioVolume)));
  client.on('client-banned', (e) => console.log('removed:', e.reason));
  client.on('connection-state-changed', ({ prevState, state }) => console.log(prevState, '→', state));
  client.on('error', (e) => console.log(e.getCode() === TRTC.ErrorCode.SIGNAL_CHANNEL_RECONNECTION_FAILED));
  // @ts-expect-error: peer-join carries { userId }, not a stream
  client.on('peer-join', (e) => e.stream);
  // @ts-expect-error: no such event
  client.on('peer-joined', () => undefined);

  try {
    await client.join({ roomId, role: 'anchor' });
  } catch (e) {
    if (e instanceof RtcError && e.getCode() === TRTC.ErrorCode.JOIN_ROOM_FAILED) console.log(e.getExtraCode());
    throw e;
  }
  const local: LocalStream = TRTC.createStream({ userId, audio: true, video: true });
  await local.setVideoProfile('720p');
  local.setAudioProfile('high');
  // @ts-expect-error: not a profile name
  await local.setVideoProfile('721p');
  local.on('player-state-changed', (e) => console.log(e.type, e.state, e.reason));
  local.on('device-auto-recovered', (e) => console.log(e.isCamera, e.cameraId));
  await local.initialize();
  await local.play('local', { objectFit: 'cover', mirror: true });
  await client.enableSmallStream();
  await client.publish(local);
  client.enableAudioVolumeEvaluation(500);

  const stats = await client.getLocalVideoStats();
  console.log(stats[userId]?.framesEncoded);
  const muted = client.getRemoteMutedState().filter((s) => s.videoMuted);
  console.log(muted.map((s) => s.userId));
  const cameras = await TRTC.getCameras();
  if (cameras[1]) await local.switchDevice('video', cameras[1].deviceId);
  return client;
}

async function play(stream: RemoteStream): Promise<void> {
  stream.setAudioVolume(0.8);
  try {
    await stream.play(`remote-${stream.getId()}`);
  } catch (e) {
    if (e instanceof RtcError && e.getCode() === TRTC.ErrorCode.PLAY_NOT_ALLOWED) {
      document.addEventListener('click', () => void stream.resume(), { once: true });
    }
  }
}

export function logs(): void {
  TRTC.Logger.setLogLevel(TRTC.Logger.LogLevel.WARN);
  TRTC.Logger.enableUploadLog();
}
