// Test media that needs no camera or microphone: a moving canvas picture and a quiet tone. Used
// by the network test, which must not depend on device permissions.
import { getAudioContext } from '../common/audio-context';

/** A generated track and how to stop generating it. */
export interface SyntheticTrack {
  track: MediaStreamTrack;
  stop(): void;
}

/**
 * A canvas video track with moving content and some noise, so that the encoder spends its bitrate
 * the way it does on a camera picture (a still canvas would send almost nothing).
 */
export function syntheticVideoTrack(width: number, height: number, frameRate: number): SyntheticTrack {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const g = canvas.getContext('2d');
  if (!g) throw new Error('2D canvas is not available');
  const stream = canvas.captureStream(frameRate);
  const track = stream.getVideoTracks()[0]!;
  const noise = g.createImageData(width / 4, height / 4);
  let frame = 0;
  const draw = (): void => {
    frame++;
    const hue = (frame * 3) % 360;
    g.fillStyle = `hsl(${hue}, 60%, 40%)`;
    g.fillRect(0, 0, width, height);
    for (let i = 0; i < noise.data.length; i += 4) {
      const v = (Math.random() * 255) | 0;
      noise.data[i] = v;
      noise.data[i + 1] = 255 - v;
      noise.data[i + 2] = (v * 7) & 255;
      noise.data[i + 3] = 255;
    }
    g.putImageData(noise, ((frame * 5) % (width - noise.width)) | 0, ((frame * 3) % (height - noise.height)) | 0);
    g.fillStyle = '#fff';
    g.font = `${height / 8}px sans-serif`;
    g.fillText(`network test ${frame}`, width / 10, height / 2);
  };
  draw();
  // A timer, not requestAnimationFrame: it keeps running in a background tab.
  const timer = setInterval(draw, 1000 / frameRate);
  return {
    track,
    stop: () => {
      clearInterval(timer);
      track.stop();
    },
  };
}

/** A quiet 440 Hz tone as an audio track. */
export function syntheticAudioTrack(): SyntheticTrack {
  const ac = getAudioContext();
  const osc = ac.createOscillator();
  osc.frequency.value = 440;
  const gain = ac.createGain();
  gain.gain.value = 0.05;
  const dest = ac.createMediaStreamDestination();
  osc.connect(gain).connect(dest);
  osc.start();
  const track = dest.stream.getAudioTracks()[0]!;
  return {
    track,
    stop: () => {
      osc.stop();
      osc.disconnect();
      gain.disconnect();
      track.stop();
    },
  };
}
