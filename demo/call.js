// The call demo: join a room, send your camera and microphone, see and hear everyone else in it.
// It uses only the SDK's public API (the global TRTC of /dist/trtc.umd.js), as an app would.
(() => {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const { ErrorCode, RtcError } = TRTC;

  const STATS_INTERVAL_MS = 2000;
  const LOG_LIMIT = 200;
  const QUALITY_WORDS = ['unknown', 'excellent', 'good', 'fair', 'poor', 'very poor', 'disconnected'];

  /** Everything about the current call; reset by `endCall()`. */
  const call = {
    client: null,
    local: null, // camera + microphone LocalStream
    screen: null, // screen-sharing LocalStream (published as the auxiliary stream)
    userId: '',
    roomId: 0,
    statsTimer: 0,
    starting: false, // capturing the camera and microphone
    ending: false,
    music: null, // the AudioMixer source of "Play music"
    beauty: false, // the Beauty plugin runs on the camera
  };
  /** Remote tiles by `userId|main` or `userId|auxiliary`: { el, stream, prev }. */
  const tiles = new Map();
  /** The local tiles' previous stats samples (for rates). */
  const localPrev = { main: null };
  /** The devices picked in the selects (used when the stream is created and for new remote streams). */
  const picked = { camera: '', microphone: '', speaker: '' };

  // ---------------------------------------------------------------------------------------------
  // Small helpers

  function randomRoomId() {
    return 1000 + Math.floor(Math.random() * 9000);
  }

  function randomUserId() {
    return `user_${Math.random().toString(36).slice(2, 7)}`;
  }

  function parseRoomId(value) {
    const n = Number(value);
    return Number.isInteger(n) && n >= 1 && n <= 4294967294 ? n : 0;
  }

  function hex(code) {
    return `0x${Number(code).toString(16)}`;
  }

  /** "0x4004 JOIN_ROOM_FAILED: message" for SDK errors, "NotAllowedError: message" otherwise. */
  function describeError(e) {
    if (e instanceof RtcError) {
      const code = e.getCode();
      const name = Object.keys(ErrorCode).find((k) => ErrorCode[k] === code) ?? 'UNKNOWN';
      const extra = e.getExtraCode();
      return `${hex(code)} ${name}${extra !== undefined ? ` (extra code ${extra})` : ''}: ${e.message}`;
    }
    if (e && typeof e === 'object') return `${e.name ?? 'Error'}: ${e.message ?? String(e)}`;
    return String(e);
  }

  /** What the user can do about an error. */
  function adviceFor(e) {
    const code = e instanceof RtcError ? e.getCode() : undefined;
    const name = e && typeof e === 'object' ? e.name : '';
    if (name === 'NotAllowedError') {
      return 'Allow the camera and microphone for this site (the icon in the address bar), then leave and join again.';
    }
    if (name === 'NotReadableError') return 'Another app is using the device: close it, then leave and join again.';
    switch (code) {
      case ErrorCode.DEVICE_NOT_FOUND:
        return 'Plug in a camera or microphone, or pick another one under Devices.';
      case ErrorCode.NOT_SUPPORTED:
        return 'Use a recent Chrome, Edge, Firefox or Safari, on HTTPS or http://localhost.';
      case ErrorCode.SIGNAL_CHANNEL_SETUP_FAILED:
      case ErrorCode.SCHEDULE_FAILED:
        return 'The room server could not be reached: check that it is running, then join again.';
      case ErrorCode.JOIN_ROOM_FAILED:
        return e.getExtraCode() === 70001
          ? 'Your UserSig expired: join again to get a new one.'
          : 'Check the room id and user id, then join again.';
      case ErrorCode.SIGNAL_CHANNEL_RECONNECTION_FAILED:
      case ErrorCode.SIGNAL_CHANNEL_ERROR:
        return 'The connection to the room server was lost: check your network, then join again.';
      case ErrorCode.ICE_TRANSPORT_ERROR:
      case ErrorCode.UPLINK_RECONNECTION_FAILED:
      case ErrorCode.DOWNLINK_RECONNECTION_FAILED:
        return 'Audio and video could not get through: a firewall may block UDP to the media server (the server needs a TURN server then). Join again to retry.';
      case ErrorCode.DEVICE_AUTO_RECOVER_FAILED:
        return 'Plug the device back in or pick another one under Devices.';
      default:
        return 'Leave and join again; if it keeps happening, reload the page.';
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Banner and event log

  function showBanner(text, kind = 'error') {
    $('banner-text').textContent = text;
    $('banner').dataset.kind = kind;
    $('banner').hidden = false;
  }

  function hideBanner() {
    $('banner').hidden = true;
  }

  function log(text, kind = 'info') {
    const li = document.createElement('li');
    li.className = `log-${kind}`;
    const time = document.createElement('time');
    const now = new Date();
    time.dateTime = now.toISOString();
    time.textContent = now.toLocaleTimeString([], { hour12: false });
    li.append(time, ` ${text}`);
    const list = $('log');
    list.prepend(li);
    while (list.children.length > LOG_LIMIT) list.lastElementChild.remove();
  }

  function logError(what, e) {
    log(`${what}: ${describeError(e)}`, 'error');
  }

  // ---------------------------------------------------------------------------------------------
  // Form and invite link

  function inviteUrl(roomId) {
    const url = new URL(location.href);
    url.search = '';
    url.hash = '';
    if (roomId) url.searchParams.set('roomId', String(roomId));
    return url.toString();
  }

  function updateInvite() {
    const roomId = call.client ? call.roomId : parseRoomId($('room-id').value);
    const link = $('invite-link');
    link.href = inviteUrl(roomId);
    link.textContent = roomId ? link.href : 'enter a room id first';
    $('copy-invite').disabled = !roomId;
  }

  async function copyInvite() {
    const url = $('invite-link').href;
    const status = $('copy-status');
    try {
      await navigator.clipboard.writeText(url);
      status.textContent = 'Copied: open it in another tab or send it to someone.';
    } catch {
      // No clipboard (plain http on another host, or permission denied): select the link instead.
      const range = document.createRange();
      range.selectNodeContents($('invite-link'));
      const sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      status.textContent = 'Press Ctrl+C (⌘C) to copy the selected link.';
    }
  }

  function setFormBusy(busy) {
    for (const id of ['room-id', 'user-id', 'join']) $(id).disabled = busy;
    $('join').textContent = busy ? 'Joining…' : 'Join';
  }

  /** Checks the form; returns { roomId, userId } or shows what is wrong. */
  function readForm() {
    const roomId = parseRoomId($('room-id').value.trim());
    const userId = $('user-id').value.trim();
    let error = '';
    if (!roomId) error = 'The room id must be a whole number from 1 to 4294967294.';
    else if (!userId) error = 'Enter a user id.';
    else if (new TextEncoder().encode(userId).length > 128) error = 'The user id is too long (128 bytes at most).';
    else if (!/^[A-Za-z0-9_@.-]+$/.test(userId))
      error = 'Use only letters, digits and _ - . @ in the user id (no spaces).';
    $('form-error').textContent = error;
    if (error) {
      $(roomId ? 'user-id' : 'room-id').focus();
      return null;
    }
    return { roomId, userId };
  }

  /**
   * Asks the server for a UserSig. Only for development: the server hands them out because it runs
   * with --dev-usersig. A real app gets UserSigs from its own backend, which holds the secret key.
   */
  async function fetchUserSig(userId) {
    let res;
    try {
      res = await fetch(`/dev/usersig?userId=${encodeURIComponent(userId)}`);
    } catch (e) {
      throw new Error(`the server could not be reached (${e.message}): check that it is running and reload the page.`);
    }
    if (res.status === 404) {
      const err = new Error(
        'This server does not hand out UserSigs: it runs without --dev-usersig. That endpoint exists for development ' +
          'only. In production, your app’s backend must create each user’s UserSig with the secret key (never in the ' +
          'browser) and give it to the page. To try this demo, start the server with --dev-usersig ' +
          '(bash scripts/demo.sh does that on 127.0.0.1).',
      );
      err.name = 'NoDevUserSig';
      throw err;
    }
    let body = {};
    try {
      body = await res.json();
    } catch {
      // keeps body empty
    }
    if (!res.ok || typeof body.userSig !== 'string') {
      const why = body.error?.message ?? `HTTP ${res.status}`;
      throw new Error(`the server refused to make a UserSig: ${why}`);
    }
    return { userSig: body.userSig, sdkAppId: Number(body.sdkAppId) };
  }

  // ---------------------------------------------------------------------------------------------
  // Joining and leaving

  async function join(event) {
    event.preventDefault();
    if (call.client) return;
    hideBanner();
    const form = readForm();
    if (!form) return;
    setFormBusy(true);
    try {
      let auth;
      try {
        auth = await fetchUserSig(form.userId);
      } catch (e) {
        if (e.name === 'NoDevUserSig') {
          showBanner(e.message, 'info');
          log('No UserSig: this server runs without --dev-usersig (see the message at the top)', 'error');
        } else {
          showBanner(`Could not get a UserSig: ${e.message}`);
          log(`UserSig: ${e.message}`, 'error');
        }
        return;
      }
      const client = TRTC.createClient({
        mode: 'rtc',
        sdkAppId: auth.sdkAppId,
        userId: form.userId,
        userSig: auth.userSig,
      });
      call.client = client;
      call.userId = form.userId;
      call.roomId = form.roomId;
      wireClient(client);
      log(`Joining room ${form.roomId} as ${form.userId}…`);
      try {
        await client.join({ roomId: form.roomId });
      } catch (e) {
        logError('join failed', e);
        showBanner(`Could not join room ${form.roomId}. ${describeError(e)}. ${adviceFor(e)}`);
        endCall();
        return;
      }
      log(`Joined room ${form.roomId} as ${form.userId}`);
      history.replaceState(null, '', inviteUrl(form.roomId));
      showCall();
      await startLocal();
    } finally {
      setFormBusy(false);
      if (!call.client) $('join').focus();
    }
  }

  /** Captures the camera and microphone, previews and publishes them. Falls back to one of them. */
  async function startLocal() {
    const client = call.client;
    call.starting = true;
    updateControls();
    let stream = null;
    let firstError = null;
    for (const want of [
      { audio: true, video: true },
      { audio: true, video: false },
      { audio: false, video: true },
    ]) {
      const s = TRTC.createStream({
        userId: call.userId,
        ...want,
        ...(want.audio && picked.microphone ? { microphoneId: picked.microphone } : {}),
        ...(want.video && picked.camera ? { cameraId: picked.camera } : {}),
      });
      try {
        await s.initialize();
        stream = s;
        break;
      } catch (e) {
        firstError ??= e;
        // A missing or broken device of one kind: try the other kind alone. A refusal: stop asking.
        if (e.name === 'NotAllowedError' || e.name === 'SecurityError') break;
      }
    }
    if (call.client !== client) {
      stream?.close();
      return;
    }
    call.starting = false;
    if (!stream) {
      logError('camera and microphone', firstError);
      showBanner(
        `Your camera and microphone could not be started, so others cannot see or hear you (you still see and hear them). ${describeError(firstError)}. ${adviceFor(firstError)}`,
      );
      updateControls();
      return;
    }
    if (firstError) {
      log(
        `Only the ${stream.hasVideo() ? 'camera' : 'microphone'} could be started: ${describeError(firstError)}`,
        'warn',
      );
    }
    call.local = stream;
    $('local-tile').dataset.userId = call.userId;
    stream.on('error', (e) => {
      logError('local stream', e);
      showBanner(`${describeError(e)}. ${adviceFor(e)}`);
    });
    stream.on('device-auto-recovered', (e) =>
      log(`The ${e.isCamera ? 'camera' : 'microphone'} stopped and was started again`, 'warn'),
    );
    updateControls();
    void refreshDevices();
    try {
      await stream.play('local-view');
    } catch (e) {
      logError('local preview', e);
    }
    try {
      await client.publish(stream);
      log('Publishing your camera and microphone');
    } catch (e) {
      if (call.client !== client) return;
      logError('publish failed', e);
      showBanner(`Others cannot see or hear you: publishing failed. ${describeError(e)}. ${adviceFor(e)}`);
    }
  }

  /** The user clicked Leave. */
  async function leave() {
    const client = call.client;
    if (!client || call.ending) return;
    call.ending = true;
    $('leave').disabled = true;
    try {
      if (call.screen) await client.unpublish(call.screen).catch(() => undefined);
      await client.leave();
      log(`Left room ${call.roomId}`);
    } catch (e) {
      logError('leave', e);
    } finally {
      endCall();
    }
  }

  /** Releases the client and the streams and shows the form again (after leave, a ban or an error). */
  function endCall() {
    const client = call.client;
    clearInterval(call.statsTimer);
    call.statsTimer = 0;
    call.client = null;
    void call.music?.destroy();
    call.music = null;
    call.beauty = false; // close() below stops the plugin
    call.local?.close();
    call.local = null;
    call.screen?.close();
    call.screen = null;
    call.starting = false;
    call.ending = false;
    client?.destroy();
    for (const key of [...tiles.keys()]) removeTile(key);
    removeLocalScreenTile();
    localPrev.main = null;
    $('local-tile').dataset.userId = '';
    for (const kind of ['audio', 'video']) setTileMuted($('local-tile'), kind, false);
    setQuality('up', 0, 0, 0);
    setQuality('down', 0, 0, 0);
    $('call-panel').hidden = true;
    $('join-panel').hidden = false;
    $('leave').disabled = false;
    setConnState('DISCONNECTED');
    updateControls();
    updateInvite();
    $('join').focus();
  }

  function showCall() {
    $('join-panel').hidden = true;
    $('call-panel').hidden = false;
    $('room-label').textContent = String(call.roomId);
    $('me-label').textContent = call.userId;
    $('local-tile').querySelector('[data-stats]').textContent = '';
    updateInvite();
    updateControls();
    updateEmptyHint();
    call.statsTimer = setInterval(() => void updateStats(), STATS_INTERVAL_MS);
    $('call-title').focus();
  }

  function setConnState(state) {
    const words = {
      CONNECTED: 'Connected',
      CONNECTING: 'Connecting…',
      RECONNECTING: 'Reconnecting…',
      DISCONNECTED: 'Disconnected',
    };
    const el = $('conn-state');
    el.textContent = words[state] ?? state;
    el.dataset.state = state;
  }

  // ---------------------------------------------------------------------------------------------
  // Client events

  function wireClient(client) {
    const mine = (fn) => (e) => {
      if (call.client === client) fn(e);
    };
    client.on(
      'connection-state-changed',
      mine((e) => {
        setConnState(e.state);
        if (e.state === 'RECONNECTING') log('Connection to the room server lost: reconnecting…', 'warn');
        else if (e.state === 'CONNECTED' && e.prevState === 'RECONNECTING') log('Reconnected');
      }),
    );
    client.on(
      'peer-join',
      mine((e) => log(`${e.userId} joined`)),
    );
    client.on(
      'peer-leave',
      mine((e) => {
        log(`${e.userId} left`);
        for (const [key, t] of tiles) if (t.stream.getUserId() === e.userId) removeTile(key);
      }),
    );
    client.on(
      'stream-added',
      mine((e) => {
        log(
          `${e.stream.getUserId()} started ${e.stream.getType() === 'auxiliary' ? 'sharing the screen' : 'their camera/microphone'}`,
        );
        addTile(e.stream);
      }),
    );
    client.on(
      'stream-subscribed',
      mine((e) => void playRemote(e.stream)),
    );
    client.on(
      'stream-updated',
      mine((e) => {
        const t = tiles.get(streamKey(e.stream));
        if (!t) return;
        t.el.classList.toggle('no-video', !e.stream.hasVideo());
        updatePlaceholder(t.el);
      }),
    );
    client.on(
      'stream-removed',
      mine((e) => {
        const aux = e.stream.getType() === 'auxiliary';
        log(`${e.stream.getUserId()} stopped ${aux ? 'sharing the screen' : 'their camera/microphone'}`);
        removeTile(streamKey(e.stream));
      }),
    );
    for (const [event, kind, off, text] of [
      ['mute-audio', 'audio', true, 'muted the microphone'],
      ['unmute-audio', 'audio', false, 'unmuted the microphone'],
      ['mute-video', 'video', true, 'turned the camera off'],
      ['unmute-video', 'video', false, 'turned the camera on'],
    ]) {
      client.on(
        event,
        mine((e) => {
          log(`${e.userId} ${text}`);
          const t = tiles.get(tileKey(e.userId, 'main'));
          if (t) setTileMuted(t.el, kind, off);
        }),
      );
    }
    client.on(
      'network-quality',
      mine((e) => {
        setQuality('up', e.uplinkNetworkQuality, e.uplinkRTT, e.uplinkLoss);
        setQuality('down', e.downlinkNetworkQuality, e.downlinkRTT, e.downlinkLoss);
      }),
    );
    client.on(
      'client-banned',
      mine((e) => {
        const why = {
          kick: `Someone joined room ${call.roomId} with your user id (${call.userId}), so this page was removed from the call. Use a different user id in each tab or browser, then join again.`,
          banned: `The room’s administrator removed you from room ${call.roomId}. Ask them before joining again.`,
          'room-disband': `The room’s administrator closed room ${call.roomId}. Join another room or ask them to open it again.`,
        };
        const text = why[e.reason] ?? `You were removed from room ${call.roomId} (${e.reason}). Join again.`;
        log(`Removed from the room: ${e.reason}${e.message ? ` (${e.message})` : ''}`, 'error');
        showBanner(text);
        endCall();
      }),
    );
    client.on(
      'error',
      mine((e) => {
        logError('call error', e);
        showBanner(`The call stopped: ${describeError(e)}. ${adviceFor(e)}`);
        endCall();
      }),
    );
  }

  // ---------------------------------------------------------------------------------------------
  // Remote tiles

  /** Tiles are keyed by user and stream type: "alice|main", "alice|auxiliary". */
  function tileKey(userId, type) {
    return `${userId}|${type}`;
  }

  function streamKey(stream) {
    return tileKey(stream.getUserId(), stream.getType());
  }

  function makeTile(userId, type, label) {
    const el = document.createElement('figure');
    el.className = `tile${type === 'auxiliary' || type === 'local-screen' ? ' screen' : ''}`;
    el.dataset.userId = userId;
    el.dataset.type = type;
    const media = document.createElement('div');
    media.className = 'media';
    const placeholder = document.createElement('div');
    placeholder.className = 'placeholder';
    placeholder.setAttribute('aria-hidden', 'true');
    const stats = document.createElement('div');
    stats.className = 'stats';
    stats.dataset.stats = '';
    const caption = document.createElement('figcaption');
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = label;
    caption.append(name);
    for (const [cls, text] of [
      ['badge-mic-off', 'mic muted'],
      ['badge-camera-off', 'camera off'],
    ]) {
      const badge = document.createElement('span');
      badge.className = `badge ${cls}`;
      badge.textContent = text;
      badge.hidden = true;
      caption.append(badge);
    }
    el.append(media, placeholder, stats, caption);
    return el;
  }

  function addTile(stream) {
    const key = streamKey(stream);
    if (tiles.has(key)) return;
    const aux = stream.getType() === 'auxiliary';
    const el = makeTile(stream.getUserId(), stream.getType(), `${stream.getUserId()}${aux ? ' (screen)' : ''}`);
    el.classList.toggle('no-video', !stream.hasVideo());
    updatePlaceholder(el);
    $('grid').append(el);
    tiles.set(key, { el, stream, prev: null });
    updateEmptyHint();
  }

  function removeTile(key) {
    const t = tiles.get(key);
    if (!t) return;
    t.stream.stop();
    t.el.remove();
    tiles.delete(key);
    updateEmptyHint();
  }

  async function playRemote(stream) {
    const t = tiles.get(streamKey(stream));
    if (!t) return;
    if (picked.speaker) await stream.setAudioOutput(picked.speaker).catch((e) => logError('speaker', e));
    try {
      stream.stop(); // a stream subscribed again plays afresh
      await stream.play(t.el.querySelector('.media'), {
        objectFit: stream.getType() === 'auxiliary' ? 'contain' : 'cover',
      });
    } catch (e) {
      // PLAY_NOT_ALLOWED: the SDK shows its "Click to play" dialog and resumes playback itself.
      if (e instanceof RtcError && e.getCode() === ErrorCode.PLAY_NOT_ALLOWED) {
        log(`The browser blocked autoplay of ${stream.getUserId()}: click “Click to play”`, 'warn');
      } else {
        logError(`playing ${stream.getUserId()}`, e);
      }
    }
  }

  function setTileMuted(el, kind, muted) {
    el.classList.toggle(kind === 'video' ? 'video-off' : 'audio-off', muted);
    el.querySelector(kind === 'video' ? '.badge-camera-off' : '.badge-mic-off').hidden = !muted;
    updatePlaceholder(el);
  }

  /** What a tile shows instead of the picture: "Starting camera…", "No camera", "Camera off" or nothing. */
  function updatePlaceholder(el) {
    const text = el.classList.contains('starting')
      ? 'Starting camera…'
      : el.classList.contains('no-video')
        ? 'No camera'
        : el.classList.contains('video-off')
          ? 'Camera off'
          : '';
    const placeholder = el.querySelector('.placeholder');
    placeholder.textContent = text;
    placeholder.hidden = !text;
  }

  function updateEmptyHint() {
    $('empty-hint').hidden = tiles.size > 0;
  }

  function addLocalScreenTile(stream) {
    removeLocalScreenTile();
    const el = makeTile(call.userId, 'local-screen', 'Your screen');
    el.id = 'local-screen-tile';
    el.querySelector('.stats').remove();
    $('local-tile').after(el);
    void stream.play(el.querySelector('.media'), { objectFit: 'contain' }).catch((e) => logError('screen preview', e));
  }

  function removeLocalScreenTile() {
    $('local-screen-tile')?.remove();
  }

  // ---------------------------------------------------------------------------------------------
  // Controls: mute, camera, screen sharing, stats

  function updateControls() {
    const s = call.local;
    const mic = $('toggle-mic');
    const cam = $('toggle-camera');
    const share = $('toggle-share');
    const audioMuted = $('local-tile').classList.contains('audio-off');
    const videoMuted = $('local-tile').classList.contains('video-off');
    mic.disabled = !s || !s.hasAudio();
    mic.textContent = audioMuted ? 'Unmute mic' : 'Mute mic';
    mic.title = s && !s.hasAudio() ? 'No microphone' : '';
    cam.disabled = !s || !s.hasVideo();
    cam.textContent = videoMuted ? 'Turn camera on' : 'Turn camera off';
    cam.title = s && !s.hasVideo() ? 'No camera' : '';
    const music = $('toggle-music');
    music.disabled = !s || !s.hasAudio() || typeof TRTCAudioMixer === 'undefined';
    music.textContent = call.music?.isPlaying() ? 'Stop music' : 'Play music';
    const beauty = $('toggle-beauty');
    const canBeauty = typeof TRTCBeauty !== 'undefined' && TRTCBeauty.isSupported();
    beauty.disabled = !s || !s.hasVideo() || !canBeauty;
    beauty.title = canBeauty ? 'Skin smoothing, whitening and a rosy tint (Beauty plugin)' : 'Not supported here';
    beauty.textContent = call.beauty ? 'Beauty off' : 'Beauty on';
    $('beauty-controls').hidden = !call.beauty;
    const canShare = TRTC.isScreenShareSupported();
    share.disabled = !call.client || !canShare;
    share.title = canShare ? '' : 'This browser cannot share the screen';
    share.textContent = call.screen ? 'Stop sharing' : 'Share screen';
    const tile = $('local-tile');
    tile.classList.toggle('starting', !s && !!call.client && call.starting);
    tile.classList.toggle('no-video', !s ? !call.starting : !s.hasVideo());
    updatePlaceholder(tile);
  }

  function toggleMic() {
    const s = call.local;
    if (!s) return;
    const mute = !$('local-tile').classList.contains('audio-off');
    if (mute ? s.muteAudio() : s.unmuteAudio()) {
      setTileMuted($('local-tile'), 'audio', mute);
      log(mute ? 'You muted your microphone' : 'You unmuted your microphone');
    }
    updateControls();
  }

  /** A short generated tune (a 16-bit WAV at 44.1 kHz: the plugin resamples it to 48 kHz). */
  function demoTune() {
    const rate = 44100;
    const notes = [523.25, 659.25, 783.99, 1046.5, 783.99, 659.25, 587.33, 698.46, 880, 698.46, 587.33, 493.88];
    const noteLen = Math.round(rate * 0.25);
    const n = notes.length * noteLen * 2;
    const view = new DataView(new ArrayBuffer(44 + 2 * n));
    const text = (at, str) => [...str].forEach((c, i) => view.setUint8(at + i, c.charCodeAt(0)));
    text(0, 'RIFF');
    view.setUint32(4, 36 + 2 * n, true);
    text(8, 'WAVEfmt ');
    view.setUint32(16, 16, true);
    view.setUint16(20, 1, true);
    view.setUint16(22, 1, true);
    view.setUint32(24, rate, true);
    view.setUint32(28, rate * 2, true);
    view.setUint16(32, 2, true);
    view.setUint16(34, 16, true);
    text(36, 'data');
    view.setUint32(40, 2 * n, true);
    for (let i = 0; i < n; i++) {
      const note = Math.floor(i / noteLen) % notes.length;
      const t = (i % noteLen) / rate;
      const env = Math.min(1, t * 100) * Math.exp(-t * 6);
      const f = notes[note];
      const v = env * (0.6 * Math.sin(2 * Math.PI * f * t) + 0.2 * Math.sin(4 * Math.PI * f * t));
      view.setInt16(44 + 2 * i, Math.round(v * 0.5 * 32767), true);
    }
    return view.buffer;
  }

  /** Plays or stops the tune, mixed into the published microphone by the AudioMixer plugin. */
  async function toggleMusic() {
    const s = call.local;
    if (!s || typeof TRTCAudioMixer === 'undefined') return;
    const button = $('toggle-music');
    button.disabled = true;
    try {
      if (call.music?.isPlaying()) {
        await call.music.stop();
        log('Music stopped');
      } else {
        await s.startPlugin('AudioMixer'); // again on a started plugin: no-op without an id
        if (!call.music) {
          call.music = TRTCAudioMixer.createAudioSource({ buffer: demoTune(), loop: true, volume: 0.5 });
          call.music.on('error', (e) => logError('music', e));
        }
        await call.music.play();
        log('Music playing: others hear it with your voice (also while your microphone is muted)');
      }
    } catch (e) {
      logError('music', e);
    } finally {
      updateControls();
    }
  }

  /** The three sliders' values: the Beauty plugin's options. */
  function beautyOptions() {
    return {
      beauty: Number($('beauty-beauty').value),
      brightness: Number($('beauty-brightness').value),
      ruddy: Number($('beauty-ruddy').value),
    };
  }

  /** Starts or stops the Beauty plugin: the camera is filtered in WASM before it is sent. */
  async function toggleBeauty() {
    const s = call.local;
    if (!s || typeof TRTCBeauty === 'undefined') return;
    const button = $('toggle-beauty');
    button.disabled = true;
    try {
      if (call.beauty) {
        call.beauty = false;
        await s.stopPlugin('Beauty');
        log('Beauty off: the raw camera is sent again');
      } else {
        await s.startPlugin('Beauty', { ...beautyOptions(), onError: (e) => logError('beauty', e) });
        call.beauty = true;
        log('Beauty on: adjust it with the sliders; others see the filtered video');
      }
    } catch (e) {
      call.beauty = false;
      logError('beauty', e);
    } finally {
      updateControls();
    }
  }

  function updateBeauty() {
    if (!call.local || !call.beauty) return;
    call.local.updatePlugin('Beauty', beautyOptions()).catch((e) => logError('beauty', e));
  }

  function toggleCamera() {
    const s = call.local;
    if (!s) return;
    const mute = !$('local-tile').classList.contains('video-off');
    if (mute ? s.muteVideo() : s.unmuteVideo()) {
      setTileMuted($('local-tile'), 'video', mute);
      log(mute ? 'You turned your camera off' : 'You turned your camera on');
    }
    updateControls();
  }

  async function toggleShare() {
    if (call.screen) {
      await stopShare();
      return;
    }
    const client = call.client;
    if (!client || !TRTC.isScreenShareSupported()) return;
    const share = $('toggle-share');
    share.disabled = true;
    const s = TRTC.createStream({ userId: call.userId, screen: true });
    try {
      await s.initialize();
    } catch (e) {
      if (e.name === 'NotAllowedError') log('Screen sharing was cancelled (or not allowed by the system)', 'warn');
      else {
        logError('screen sharing', e);
        showBanner(`Could not share the screen: ${describeError(e)}. ${adviceFor(e)}`);
      }
      updateControls();
      return;
    }
    if (call.client !== client) {
      s.close();
      return;
    }
    call.screen = s;
    s.on('screen-sharing-stopped', () => {
      log('You stopped sharing from the browser’s toolbar');
      void stopShare();
    });
    addLocalScreenTile(s);
    updateControls();
    try {
      await client.publish(s, { isAuxiliary: true });
      log('Sharing your screen');
    } catch (e) {
      if (call.client !== client) return;
      logError('publishing the screen', e);
      showBanner(`Could not share the screen: ${describeError(e)}. ${adviceFor(e)}`);
      await stopShare();
    }
  }

  async function stopShare() {
    const s = call.screen;
    if (!s) return;
    call.screen = null;
    removeLocalScreenTile();
    updateControls();
    if (call.client) {
      // Rejects when the screen is not (or no longer) published: nothing to undo then.
      await call.client.unpublish(s).catch(() => undefined);
    }
    s.close();
    log('Stopped sharing your screen');
  }

  function toggleStats() {
    const hide = !$('call-panel').classList.contains('hide-stats');
    $('call-panel').classList.toggle('hide-stats', hide);
    $('toggle-stats').textContent = hide ? 'Show stats' : 'Hide stats';
  }

  // ---------------------------------------------------------------------------------------------
  // Network quality and statistics

  function setQuality(which, level, rtt, loss) {
    const word = QUALITY_WORDS[level] ?? 'unknown';
    $(`${which}-word`).textContent = word;
    const bars = $(`${which}-bars`);
    const lit = level >= 1 && level <= 5 ? 6 - level : 0; // excellent: 5 bars … very poor: 1
    bars.dataset.level = String(level);
    [...bars.children].forEach((bar, i) => bar.classList.toggle('on', i < lit));
    $(`${which}-detail`).textContent = level === 0 ? '' : `RTT ${rtt} ms · loss ${Number(loss).toFixed(1)}%`;
  }

  /** Resolution, fps and kbps since the previous sample, as "640×480 · 15 fps · 420 kbps". */
  function rates(now, sample, prev) {
    const parts = [sample.width && sample.height ? `${sample.width}×${sample.height}` : 'no video'];
    if (prev && now > prev.t) {
      const seconds = (now - prev.t) / 1000;
      const fps = Math.max(0, (sample.frames - prev.frames) / seconds);
      const kbps = Math.max(0, ((sample.bytes - prev.bytes) * 8) / 1000 / seconds);
      parts.push(`${Math.round(fps)} fps`, `${Math.round(kbps)} kbps`);
    }
    return parts;
  }

  function renderStats(el, sample, prev, now, rtt) {
    const box = el.querySelector('[data-stats]');
    if (!box) return;
    if (!sample) {
      box.textContent = '';
      return;
    }
    const parts = rates(now, sample, prev);
    if (rtt) parts.push(`RTT ${rtt} ms`);
    box.textContent = parts.join(' · ');
    box.dataset.width = String(sample.width);
    box.dataset.height = String(sample.height);
  }

  async function updateStats() {
    const client = call.client;
    if (!client) return;
    let local, remoteMain, remoteAux, transport;
    try {
      [local, remoteMain, remoteAux, transport] = await Promise.all([
        client.getLocalVideoStats(),
        client.getRemoteVideoStats('main'),
        client.getRemoteVideoStats('auxiliary'),
        client.getTransportStats(),
      ]);
    } catch (e) {
      log(`Statistics unavailable: ${describeError(e)}`, 'warn');
      return;
    }
    if (call.client !== client) return;
    const now = performance.now();
    const l = local[call.userId];
    const lSample = l && {
      t: now,
      width: l.frameWidth,
      height: l.frameHeight,
      frames: l.framesEncoded,
      bytes: l.bytesSent,
    };
    renderStats($('local-tile'), lSample, localPrev.main, now, transport.rtt);
    localPrev.main = lSample ?? null;
    for (const t of tiles.values()) {
      const userId = t.stream.getUserId();
      const r = (t.stream.getType() === 'auxiliary' ? remoteAux : remoteMain)[userId];
      const sample = r && {
        t: now,
        width: r.frameWidth,
        height: r.frameHeight,
        frames: r.framesDecoded,
        bytes: r.bytesReceived,
      };
      renderStats(t.el, sample, t.prev, now, transport.downlinksRTT[userId]);
      t.prev = sample ?? null;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Devices

  function option(text, value) {
    const o = document.createElement('option');
    o.textContent = text;
    o.value = value;
    return o;
  }

  function fillSelect(select, devices, current, emptyText) {
    select.replaceChildren();
    if (devices.length === 0) {
      select.append(option(emptyText, ''));
      select.disabled = true;
      return;
    }
    for (const d of devices) select.append(option(d.label || d.deviceId, d.deviceId));
    select.disabled = false;
    if (current && devices.some((d) => d.deviceId === current)) select.value = current;
  }

  async function refreshDevices() {
    const list = async (fn) => {
      try {
        return await fn();
      } catch (e) {
        log(`Devices: ${describeError(e)}`, 'warn');
        return [];
      }
    };
    const [cameras, microphones, speakers] = await Promise.all([
      list(TRTC.getCameras),
      list(TRTC.getMicrophones),
      list(TRTC.getSpeakers),
    ]);
    const inUse = (track) => track?.getSettings().deviceId ?? '';
    fillSelect($('camera-select'), cameras, inUse(call.local?.getVideoTrack()) || picked.camera, 'No camera found');
    fillSelect(
      $('mic-select'),
      microphones,
      inUse(call.local?.getAudioTrack()) || picked.microphone,
      'No microphone found',
    );
    fillSelect($('speaker-select'), speakers, picked.speaker, 'System default (this browser cannot choose)');
  }

  async function switchDevice(kind, select) {
    const id = select.value;
    if (!id) return;
    picked[kind === 'video' ? 'camera' : 'microphone'] = id;
    const s = call.local;
    const has = kind === 'video' ? s?.hasVideo() : s?.hasAudio();
    if (!s || !has) {
      if (call.client) log(`The ${kind === 'video' ? 'camera' : 'microphone'} will be used the next time you join`);
      return;
    }
    select.disabled = true;
    try {
      await s.switchDevice(kind, id);
      log(`Switched ${kind === 'video' ? 'camera' : 'microphone'} to ${select.selectedOptions[0]?.textContent}`);
    } catch (e) {
      logError(`switching the ${kind === 'video' ? 'camera' : 'microphone'}`, e);
      showBanner(`Could not switch the device: ${describeError(e)}. ${adviceFor(e)}`);
    } finally {
      select.disabled = false;
      void refreshDevices();
    }
  }

  async function switchSpeaker(select) {
    picked.speaker = select.value;
    if (!picked.speaker) return;
    for (const t of tiles.values()) {
      try {
        await t.stream.setAudioOutput(picked.speaker);
      } catch (e) {
        logError('speaker', e);
      }
    }
    log(`Speaker: ${select.selectedOptions[0]?.textContent}`);
  }

  // ---------------------------------------------------------------------------------------------
  // Start

  async function checkBrowser() {
    if (!window.isSecureContext) {
      showBanner(
        'This page is not on HTTPS or localhost, so the browser will not give it the camera or microphone. Open it as http://127.0.0.1:<port>/ or serve it over HTTPS.',
        'info',
      );
      return;
    }
    try {
      const r = await TRTC.checkSystemRequirements();
      if (!r.result) {
        showBanner(
          'This browser cannot make calls with this SDK (it needs WebRTC with VP8 or H.264). Try a recent Chrome, Edge, Firefox or Safari.',
        );
      }
    } catch (e) {
      log(`System check failed: ${describeError(e)}`, 'warn');
    }
  }

  function init() {
    $('version').textContent = TRTC.VERSION;
    const fromUrl = parseRoomId(new URLSearchParams(location.search).get('roomId'));
    $('room-id').value = String(fromUrl || randomRoomId());
    $('user-id').value = randomUserId();
    $('join-form').addEventListener('submit', (e) => void join(e));
    $('room-id').addEventListener('input', updateInvite);
    $('copy-invite').addEventListener('click', () => void copyInvite());
    $('banner-close').addEventListener('click', hideBanner);
    $('leave').addEventListener('click', () => void leave());
    $('toggle-mic').addEventListener('click', toggleMic);
    $('toggle-music').addEventListener('click', () => void toggleMusic());
    $('toggle-beauty').addEventListener('click', () => void toggleBeauty());
    for (const id of ['beauty-beauty', 'beauty-brightness', 'beauty-ruddy'])
      $(id).addEventListener('input', updateBeauty);
    $('toggle-camera').addEventListener('click', toggleCamera);
    $('toggle-share').addEventListener('click', () => void toggleShare());
    $('toggle-stats').addEventListener('click', toggleStats);
    $('camera-select').addEventListener('change', (e) => void switchDevice('video', e.target));
    $('mic-select').addEventListener('change', (e) => void switchDevice('audio', e.target));
    $('speaker-select').addEventListener('change', (e) => void switchSpeaker(e.target));
    navigator.mediaDevices?.addEventListener('devicechange', () => {
      log('Devices changed');
      void refreshDevices();
    });
    // Closing the tab leaves the room at once (otherwise others see you leave after a timeout).
    window.addEventListener('pagehide', () => call.client?.destroy());
    updateInvite();
    updateControls();
    void refreshDevices();
    void checkBrowser();
  }

  init();
})();
