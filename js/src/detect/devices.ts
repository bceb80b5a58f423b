// The cameras, microphones and speakers, with the permission flags and each camera's largest
// resolution, in rtc-detect 1.2.0's shape.
import type { CameraItem, CameraResolution, DeviceItem, DevicesInfo } from './types';

/** A `MediaDeviceInfo`, or the legacy shapes some old browsers return. */
type RawDevice = MediaDeviceInfo & {
  id?: string;
  getCapabilities?: () => MediaTrackCapabilities;
};

/** The camera request that makes the browser pick its largest size (8K, an `ideal` constraint). */
const LARGEST = { width: 7680, height: 4320 };

function emptyDevices(): DevicesInfo {
  return { cameras: [], microphones: [], speakers: [], hasCameraPermission: false, hasMicrophonePermission: false };
}

/**
 * Whether devices can be listed: `navigator.mediaDevices.enumerateDevices` exists and the page is
 * a secure context (HTTPS, `http://localhost`, `file:`).
 */
function canListDevices(): boolean {
  if (typeof navigator === 'undefined' || typeof navigator.mediaDevices?.enumerateDevices !== 'function') return false;
  return typeof window === 'undefined' || window.isSecureContext !== false;
}

/**
 * The Permissions API's answer for `camera` or `microphone`: `granted`, `denied`, `prompt`, or
 * undefined when the browser cannot say (no API, or the name is not supported).
 */
export async function queryPermission(name: 'camera' | 'microphone'): Promise<PermissionState | undefined> {
  try {
    if (typeof navigator === 'undefined' || typeof navigator.permissions?.query !== 'function') return undefined;
    const status = await navigator.permissions.query({ name: name as PermissionName });
    return status.state;
  } catch {
    return undefined;
  }
}

/**
 * Combines the Permissions API with rtc-detect's label heuristic (a device name is visible, or more
 * than one device of the kind is listed, which browsers only do once capture was allowed):
 * `granted` and `denied` are taken as they are; `prompt` (Firefox says so while it grants per
 * session) or no answer falls back to the heuristic.
 */
function permitted(state: PermissionState | undefined, heuristic: boolean): boolean {
  if (state === 'granted') return true;
  if (state === 'denied') return false;
  return heuristic;
}

/** `max` of a capability range, if any. */
function maxOf(range: ULongRange | DoubleRange | undefined): number | undefined {
  return range?.max;
}

/**
 * Opens a camera asking for 8K and reads the track's capabilities (or, without them, the size the
 * camera gave). Undefined when the camera cannot be opened.
 */
async function probeResolution(deviceId: string): Promise<CameraResolution | undefined> {
  let stream: MediaStream | undefined;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { deviceId: { exact: deviceId }, ...LARGEST },
    });
    const track = stream.getVideoTracks()[0];
    if (!track) return undefined;
    const caps = typeof track.getCapabilities === 'function' ? track.getCapabilities() : undefined;
    const maxWidth = maxOf(caps?.width);
    const maxHeight = maxOf(caps?.height);
    const maxFrameRate = maxOf(caps?.frameRate);
    if (maxWidth && maxHeight && maxFrameRate) return { maxWidth, maxHeight, maxFrameRate };
    const settings = track.getSettings();
    return { maxWidth: settings.width, maxHeight: settings.height };
  } catch {
    return undefined;
  } finally {
    stream?.getTracks().forEach((t) => t.stop());
  }
}

/**
 * Lists the devices.
 *
 * - Entries with the same `deviceId + label + kind` are listed once.
 * - A hidden name becomes `Camera N`, `Microphone N` or `Speaker N` (N counts the devices of that kind).
 * - Each camera's `resolution` comes from `InputDeviceInfo.getCapabilities()`; without it, and with
 *   camera permission, the camera is opened once to read its capabilities.
 * - Without `enumerateDevices` (or on an insecure page) every list is empty and both permission flags false.
 */
export async function probeDevices(): Promise<DevicesInfo> {
  if (!canListDevices()) return emptyDevices();
  const [list, cameraState, microphoneState] = await Promise.all([
    navigator.mediaDevices.enumerateDevices() as Promise<RawDevice[]>,
    queryPermission('camera'),
    queryPermission('microphone'),
  ]);
  const cameras: CameraItem[] = [];
  const microphones: DeviceItem[] = [];
  const speakers: DeviceItem[] = [];
  const seen = new Set<string>();
  let cameraLabel = false;
  let microphoneLabel = false;
  for (const raw of list) {
    const key = `${raw.deviceId}${raw.label}${raw.kind}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const rawKind = raw.kind as string;
    const kind: string = rawKind === 'audio' ? 'audioinput' : rawKind === 'video' ? 'videoinput' : rawKind;
    const deviceId = raw.deviceId || (typeof raw.id === 'string' && raw.id ? raw.id : raw.deviceId);
    const item: DeviceItem = { deviceId, kind: kind as MediaDeviceKind, label: raw.label, groupId: raw.groupId };
    if (kind === 'videoinput') {
      if (item.label) cameraLabel = true;
      else item.label = `Camera ${cameras.length + 1}`;
      const camera: CameraItem = item;
      if (typeof raw.getCapabilities === 'function' && raw.deviceId) {
        const caps = raw.getCapabilities();
        camera.resolution = {
          maxWidth: maxOf(caps?.width),
          maxHeight: maxOf(caps?.height),
          maxFrameRate: maxOf(caps?.frameRate),
        };
      }
      cameras.push(camera);
    } else if (kind === 'audioinput') {
      if (item.label) microphoneLabel = true;
      else item.label = `Microphone ${microphones.length + 1}`;
      microphones.push(item);
    } else if (kind === 'audiooutput') {
      if (!item.label) item.label = `Speaker ${speakers.length + 1}`;
      speakers.push(item);
    }
  }
  const hasCameraPermission = permitted(cameraState, cameraLabel || cameras.length > 1);
  const hasMicrophonePermission = permitted(microphoneState, microphoneLabel || microphones.length > 1);
  if (hasCameraPermission) {
    for (const camera of cameras) {
      if (camera.resolution || !camera.deviceId) continue;
      const resolution = await probeResolution(camera.deviceId);
      if (resolution) camera.resolution = resolution;
    }
  }
  return { cameras, microphones, speakers, hasCameraPermission, hasMicrophonePermission };
}
