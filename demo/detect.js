// The environment check page: runs TRTC.RTCDetect's report, the device tests and the network test
// of the SDK, and shows the results in words. Uses the public API of dist/trtc.umd.js only.
(() => {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const NETWORK_MS = Math.min(120000, Math.max(4000, Number(params.get('duration')) || 15000));
  const QUALITY = ['Unknown', 'Excellent', 'Good', 'Fair', 'Poor', 'Very poor', 'Disconnected'];

  /** Everything measured, for "Copy report". */
  const report = {};

  $('version').textContent = TRTC.VERSION;
  $('network-duration').textContent = String(Math.round(NETWORK_MS / 1000));

  function el(tag, attrs = {}, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === 'class') e.className = v;
      else e.setAttribute(k, v);
    }
    for (const c of children) e.append(c instanceof Node ? c : String(c));
    return e;
  }

  function mark(ok, text) {
    return el('span', { class: ok ? 'yes' : 'no' }, ok ? '✓ ' : '✗ ', text ?? (ok ? 'yes' : 'no'));
  }

  function setResult(id, text, state) {
    const p = $(id);
    p.textContent = text;
    p.dataset.state = state;
  }

  function describeError(e) {
    const code = e && typeof e.getCode === 'function' ? ` (code 0x${e.getCode().toString(16)})` : '';
    if (e && e.name === 'NotAllowedError') return 'Permission denied: allow the camera and microphone for this site.';
    if (e && e.name === 'NotFoundError') return 'No such device is connected.';
    if (e && e.name === 'NotReadableError') return 'The device is in use by another program.';
    return `${(e && e.message) || e}${code}`;
  }

  // ---- Browser, system, codecs, devices ---------------------------------------------------------

  const API_LABELS = {
    isWebRTCSupported: 'WebRTC',
    isWebSocketSupported: 'WebSocket',
    isUserMediaSupported: 'Camera and microphone access (getUserMedia)',
    isWebAudioSupported: 'Web Audio',
    isScreenCaptureAPISupported: 'Screen sharing',
    isCanvasCapturingSupported: 'Canvas capture',
    isVideoCapturingSupported: 'Video element capture',
    isRTPSenderReplaceTracksSupported: 'Switching devices during a call (replaceTrack)',
    isApplyConstraintsSupported: 'Changing camera resolution during a call',
  };

  function showSystem(system) {
    const dl = $('system');
    dl.replaceChildren();
    const rows = [
      ['Browser', `${system.browser.name} ${system.browser.version}`],
      ['Operating system', system.OS],
      ['CPU cores', system.hardwareConcurrency || 'unknown'],
      ['Memory', system.deviceMemory ? `${system.deviceMemory} GB or more` : 'unknown'],
      [
        'Screen',
        system.displayResolution ? `${system.displayResolution.width} × ${system.displayResolution.height}` : 'unknown',
      ],
      ['Graphics', system.GPU || 'unknown'],
    ];
    for (const [k, v] of rows) dl.append(el('dt', {}, k), el('dd', {}, v));
  }

  function showApi(api) {
    const ul = $('api');
    ul.replaceChildren();
    for (const [k, label] of Object.entries(API_LABELS)) ul.append(el('li', {}, mark(!!api[k], label)));
  }

  function showCodecs(codecs) {
    const tbody = $('codecs');
    tbody.replaceChildren();
    for (const [name, key] of [
      ['H.264', 'H264'],
      ['VP8', 'Vp8'],
      ['VP9', 'Vp9'],
      ['H.265', 'H265'],
      ['AV1', 'AV1'],
    ]) {
      tbody.append(
        el(
          'tr',
          {},
          el('th', { scope: 'row' }, name),
          el('td', {}, mark(!!codecs[`is${key}EncodeSupported`])),
          el('td', {}, mark(!!codecs[`is${key}DecodeSupported`])),
        ),
      );
    }
  }

  function showDevices(devices) {
    const box = $('devices');
    box.replaceChildren();
    const list = (title, items, permission, describe) => {
      const section = el('div', { class: 'device-kind' }, el('h3', {}, `${title} (${items.length})`));
      if (permission !== undefined) {
        section.append(
          el(
            'p',
            { class: 'hint' },
            mark(permission, permission ? 'permission granted' : 'permission not granted yet'),
          ),
        );
      }
      if (items.length === 0) section.append(el('p', { class: 'no' }, `✗ No ${title.toLowerCase()} found`));
      const ul = el('ul', { class: 'device-list' });
      for (const d of items) ul.append(el('li', {}, d.label, describe ? describe(d) : ''));
      section.append(ul);
      box.append(section);
    };
    list('Cameras', devices.cameras, devices.hasCameraPermission, (c) =>
      c.resolution && c.resolution.maxWidth
        ? el(
            'span',
            { class: 'hint' },
            ` up to ${c.resolution.maxWidth} × ${c.resolution.maxHeight}` +
              (c.resolution.maxFrameRate ? ` at ${Math.round(c.resolution.maxFrameRate)} fps` : ''),
          )
        : '',
    );
    list('Microphones', devices.microphones, devices.hasMicrophonePermission);
    list('Speakers', devices.speakers);
    const select = $('speaker-select');
    const current = select.value;
    select.replaceChildren(el('option', { value: '' }, 'Default output'));
    for (const s of devices.speakers) {
      if (s.deviceId && s.deviceId !== 'default') select.append(el('option', { value: s.deviceId }, s.label));
    }
    select.value = current;
  }

  let hardwareCheck; // one probe per page: it can take a while where MediaCapabilities cannot answer

  async function checkBrowser() {
    const detect = new TRTC.RTCDetect();
    const supported = await detect.isTRTCSupported();
    const full = detect.report ?? (await detect.getReportAsync());
    report.supported = supported;
    report.detect = full;
    showSystem(full.system);
    showApi(full.APISupported);
    showCodecs(full.codecsSupported);
    showDevices(full.devices);
    if (hardwareCheck) return supported;
    $('hwaccel').textContent = 'Hardware acceleration: checking…';
    hardwareCheck = detect.isHardWareAccelerationEnabled();
    hardwareCheck.then(
      (on) => {
        report.hardwareAcceleration = on;
        $('hwaccel').replaceChildren(
          mark(on, on ? 'Hardware video encoding is available' : 'No hardware video encoding (software only)'),
        );
      },
      (e) => ($('hwaccel').textContent = `Hardware acceleration: could not check (${describeError(e)})`),
    );
    return supported;
  }

  async function refreshDevices() {
    const detect = new TRTC.RTCDetect();
    const devices = await detect.getDevicesAsync();
    report.detect = { ...report.detect, devices };
    showDevices(devices);
  }

  // ---- Device tests ---------------------------------------------------------------------------

  async function testCamera() {
    setResult('camera-result', 'Opening the camera…', 'running');
    $('camera-view').replaceChildren();
    try {
      // Keeps the last frame, so the card still shows what the camera saw after the test.
      const still = el('canvas', { class: 'still', 'aria-label': 'Last camera frame' });
      let captured = false;
      const r = await TRTC.testCamera({
        view: 'camera-view',
        duration: 3000,
        onProgress: (p) => {
          setResult('camera-result', `${p.width} × ${p.height}, ${p.frameRate} fps…`, 'running');
          const video = $('camera-view').querySelector('video');
          if (video && video.videoWidth) {
            still.width = video.videoWidth;
            still.height = video.videoHeight;
            still.getContext('2d').drawImage(video, 0, 0);
            captured = true;
          }
        },
      });
      if (captured) $('camera-view').replaceChildren(still);
      report.camera = r;
      setResult(
        'camera-result',
        r.working
          ? `✓ ${r.label}: ${r.width} × ${r.height} at ${r.frameRate} fps`
          : `✗ ${r.label} opened but delivered no picture (${r.frames} frames)`,
        r.working ? 'ok' : 'bad',
      );
      return r.working;
    } catch (e) {
      report.camera = { error: describeError(e) };
      setResult('camera-result', `✗ ${describeError(e)}`, 'bad');
      return false;
    }
  }

  async function testMicrophone() {
    setResult('mic-result', 'Listening…', 'running');
    const meter = $('mic-meter');
    try {
      const r = await TRTC.testMicrophone({
        duration: 3000,
        onProgress: (p) => {
          meter.style.width = `${Math.min(100, p.volume * 2)}%`;
          meter.parentElement.setAttribute('aria-valuenow', String(p.volume));
        },
      });
      report.microphone = r;
      meter.style.width = '0%';
      setResult(
        'mic-result',
        r.hasSignal
          ? `✓ ${r.label}: picks up sound (loudest ${r.maxVolume} of 100)`
          : `✗ ${r.label}: no sound at all. Is it muted, or the wrong microphone?`,
        r.hasSignal ? 'ok' : 'bad',
      );
      return r.hasSignal;
    } catch (e) {
      report.microphone = { error: describeError(e) };
      setResult('mic-result', `✗ ${describeError(e)}`, 'bad');
      return false;
    }
  }

  async function testSpeaker() {
    setResult('speaker-result', 'Playing a tone…', 'running');
    $('speaker-ask').hidden = true;
    try {
      const r = await TRTC.testSpeaker({ speakerId: $('speaker-select').value || undefined, duration: 2000 });
      report.speaker = r;
      if (!r.played) {
        setResult('speaker-result', '✗ The browser did not play the tone.', 'bad');
        return false;
      }
      setResult('speaker-result', 'The tone was played. Did you hear it?', 'running');
      $('speaker-ask').hidden = false;
      return true;
    } catch (e) {
      report.speaker = { error: describeError(e) };
      setResult('speaker-result', `✗ ${describeError(e)}`, 'bad');
      return false;
    }
  }

  $('speaker-yes').addEventListener('click', () => {
    report.speakerHeard = true;
    $('speaker-ask').hidden = true;
    setResult('speaker-result', '✓ The speaker works.', 'ok');
  });
  $('speaker-no').addEventListener('click', () => {
    report.speakerHeard = false;
    $('speaker-ask').hidden = true;
    setResult('speaker-result', '✗ Not heard: check the volume, or pick another speaker and try again.', 'bad');
  });

  // ---- Network test ---------------------------------------------------------------------------

  function showNetwork(r) {
    const tbody = $('network');
    const q = (v) => el('span', { class: `quality q${v}` }, `${QUALITY[v] ?? v}`);
    const rows = [
      ['Quality', q(r.uplinkNetworkQuality), q(r.downlinkNetworkQuality)],
      ['Round trip', `${r.uplinkRTT} ms`, `${r.downlinkRTT} ms`],
      ['Packet loss', `${r.uplinkLoss} %`, `${r.downlinkLoss} %`],
      ['Bandwidth', `${r.uplinkBandwidth} kbps`, `${r.downlinkBandwidth} kbps`],
    ];
    if (r.uplinkJitter !== undefined) rows.splice(3, 0, ['Jitter', `${r.uplinkJitter} ms`, `${r.downlinkJitter} ms`]);
    tbody.replaceChildren(
      ...rows.map(([k, a, b]) => el('tr', {}, el('th', { scope: 'row' }, k), el('td', {}, a), el('td', {}, b))),
    );
  }

  async function devUserSig(userId) {
    const res = await fetch(`/dev/usersig?userId=${encodeURIComponent(userId)}`);
    if (res.status === 404) {
      throw new Error(
        'this server does not hand out test UserSigs (it runs without --dev-usersig). In your app, get two UserSigs ' +
          'from your backend and pass them to TRTC.runNetworkTest().',
      );
    }
    if (!res.ok) throw new Error(`the server refused to make a UserSig (HTTP ${res.status})`);
    return res.json();
  }

  async function testNetwork() {
    setResult('network-result', 'Connecting to the media server…', 'running');
    $('network-progress').value = 0;
    const tag = Math.random().toString(36).slice(2, 8);
    try {
      const [up, down] = await Promise.all([devUserSig(`detect_up_${tag}`), devUserSig(`detect_down_${tag}`)]);
      const r = await TRTC.runNetworkTest({
        sdkAppId: Number(up.sdkAppId),
        uplinkUserId: `detect_up_${tag}`,
        uplinkUserSig: up.userSig,
        downlinkUserId: `detect_down_${tag}`,
        downlinkUserSig: down.userSig,
        duration: NETWORK_MS,
        onProgress: (p) => {
          $('network-progress').value = p.progress;
          if (p.phase === 'measuring') {
            showNetwork(p);
            setResult('network-result', `Measuring… ${Math.round(p.elapsed / 1000)} s`, 'running');
          }
        },
      });
      report.network = r;
      $('network-progress').value = 1;
      showNetwork(r);
      const worst = Math.max(r.uplinkNetworkQuality, r.downlinkNetworkQuality);
      const ok = worst >= 1 && worst <= 3;
      setResult(
        'network-result',
        ok
          ? `✓ ${QUALITY[worst]} network for calls (connected in ${r.connectTime} ms).`
          : worst === 0
            ? '✗ Nothing could be measured.'
            : `✗ ${QUALITY[worst]} network: calls may stutter. Move closer to the Wi-Fi router or use a wired network.`,
        ok ? 'ok' : 'bad',
      );
      return ok;
    } catch (e) {
      report.network = { error: describeError(e) };
      setResult('network-result', `✗ The network test failed: ${describeError(e)}`, 'bad');
      return false;
    }
  }

  // ---- Run all --------------------------------------------------------------------------------

  function verdict(state, title, text) {
    $('verdict').dataset.state = state;
    $('verdict-title').textContent = title;
    $('verdict-text').textContent = text;
  }

  async function runAll() {
    const button = $('run-all');
    button.disabled = true;
    $('copy-report').disabled = true;
    verdict('running', 'Checking…', 'This takes about ' + Math.round(NETWORK_MS / 1000 + 10) + ' seconds.');
    try {
      // The tone first: browsers only play sound shortly after a click.
      const speaker = testSpeaker();
      const supported = await checkBrowser();
      await speaker;
      const camera = await testCamera();
      const mic = await testMicrophone();
      await refreshDevices(); // labels and permissions are known now
      const network = supported.result ? await testNetwork() : false;
      const problems = [];
      if (!supported.result) problems.push(supported.reason);
      if (!camera) problems.push('the camera');
      if (!mic) problems.push('the microphone');
      if (!network) problems.push('the network');
      if (problems.length === 0) {
        verdict('ok', '✓ Ready for calls', 'Everything works. Check above that you heard the test tone.');
      } else {
        verdict('bad', '✗ Some checks failed', `Look at: ${problems.join(', ')}.`);
      }
    } catch (e) {
      verdict('bad', '✗ The check stopped', describeError(e));
    } finally {
      report.finishedAt = new Date().toISOString();
      button.disabled = false;
      $('copy-report').disabled = false;
      document.body.dataset.done = 'true';
    }
  }

  $('run-all').addEventListener('click', runAll);
  $('test-camera').addEventListener('click', testCamera);
  $('test-mic').addEventListener('click', testMicrophone);
  $('test-speaker').addEventListener('click', testSpeaker);
  $('test-network').addEventListener('click', testNetwork);
  $('copy-report').addEventListener('click', async () => {
    const text = JSON.stringify(report, null, 2);
    try {
      await navigator.clipboard.writeText(text);
      $('copy-report').textContent = 'Copied';
    } catch {
      // No clipboard permission: show it instead.
      const pre = el('pre', { class: 'report-json' }, text);
      $('verdict').append(pre);
    }
  });

  // Fill what needs no permission right away.
  checkBrowser().catch((e) => verdict('bad', '✗ The browser check failed', describeError(e)));
  showNetwork({
    uplinkNetworkQuality: 0,
    downlinkNetworkQuality: 0,
    uplinkRTT: '–',
    downlinkRTT: '–',
    uplinkLoss: '–',
    downlinkLoss: '–',
    uplinkBandwidth: '–',
    downlinkBandwidth: '–',
  });
  window.detectReport = report;
})();
