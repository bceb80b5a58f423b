// Room server configuration. Sources, strongest first: command-line flags, a JSON config file
// (--config), environment variables (TRTC_*), defaults.
import { readFileSync } from 'node:fs';

export interface StaticMount {
  /** URL prefix, "/" or "/dist". */
  prefix: string;
  /** Folder served under it. */
  dir: string;
}

export interface ServerConfig {
  host: string;
  port: number;
  staticMounts: StaticMount[];
  /** The application id that UserSigs must carry; 0 = not configured (signaling refuses joins). */
  sdkAppId: number;
  /** The secret key UserSigs are signed with. Never sent to a client. */
  secretKey: string;
  /** Address Janus gathers ICE on; undefined = the first non-loopback IPv4. */
  iceIp?: string;
  callbackUrl?: string;
  callbackKey?: string;
  /** Seconds a dropped user is kept before `peer-leave`. */
  graceSeconds: number;
  /** Serve GET /dev/usersig (only allowed on a loopback host). */
  devUsersig: boolean;
  /** Refuse joins without a PrivateMapKey (TRTC "advanced permission control"). */
  requirePrivateMapKey: boolean;
  /** Janus executable. */
  janusBinary: string;
  /** UDP port range for Janus media, "min-max". */
  rtpPortRange?: string;
  /** Run without Janus (signaling only; publish/subscribe answer MEDIA_SERVER_UNAVAILABLE). */
  noJanus: boolean;
  /** Folder for client logs (POST /v1/log), one JSON-lines file per UTC day; undefined = stdout. */
  clientLogDir?: string;
  /** Cap of one day's client log file, in MiB (fractions allowed). */
  clientLogMaxMb: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export const USAGE = `Usage: npm run server -- [options]
  --config <file.json>       read options from a JSON file (keys as below in camelCase, e.g.
                             {"sdkAppId": 1400000001, "secretKey": "…"}); flags win over it
  --host <addr>              address to listen on (env TRTC_HOST, default 127.0.0.1)
  --port <n>                 port to listen on (env TRTC_PORT, default 8080)
  --sdk-app-id <n>           application id of the UserSigs (env TRTC_SDK_APP_ID)
  --secret-key <key>         secret key the UserSigs are signed with (env TRTC_SECRET_KEY)
  --static [<prefix>=]<dir>  serve the files of <dir> under <prefix> (default "/"); repeatable
                             (env TRTC_STATIC, comma-separated)
  --ice-ip <addr>            address Janus gathers ICE candidates on (env TRTC_ICE_IP,
                             default: the first non-loopback IPv4 address)
  --callback-url <url>       POST room and media event callbacks here (env TRTC_CALLBACK_URL)
  --callback-key <key>       sign callbacks with this key (env TRTC_CALLBACK_KEY)
  --grace-seconds <n>        keep a dropped user this long before peer-leave (env TRTC_GRACE_SECONDS,
                             default 30)
  --dev-usersig              serve GET /dev/usersig (development only; refused unless --host is loopback)
  --require-private-map-key  refuse joins without a PrivateMapKey
  --janus <path>             Janus executable (env TRTC_JANUS, default "janus")
  --rtp-port-range <a-b>     UDP ports Janus uses for media (env TRTC_RTP_PORT_RANGE)
  --no-janus                 signaling only, no media server (tests and benchmarks)
  --client-log-dir <dir>     write the logs browsers upload (POST /v1/log) to files in <dir>
                             (env TRTC_CLIENT_LOG_DIR, default: print them on stdout)
  --client-log-max-mb <n>    cap of one day's client log file in MB, fractions allowed
                             (env TRTC_CLIENT_LOG_MAX_MB, default 100)
  --help                     print this help`;

function parsePort(value: string, source: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`${source}: port must be an integer 0–65535, got "${value}"`);
  }
  return port;
}

function parseIntIn(value: string, source: string, min: number, max: number): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${source}: expected an integer ${min}–${max}, got "${value}"`);
  }
  return n;
}

function parsePositive(value: string, source: string, max: number): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > max) {
    throw new ConfigError(`${source}: expected a number greater than 0 and at most ${max}, got "${value}"`);
  }
  return n;
}

function parseMount(value: string, source: string): StaticMount {
  const eq = value.indexOf('=');
  const prefix = eq > 0 ? value.slice(0, eq) : '/';
  const dir = eq > 0 ? value.slice(eq + 1) : value;
  if (!prefix.startsWith('/') || dir.length === 0) {
    throw new ConfigError(`${source}: expected [/prefix=]dir, got "${value}"`);
  }
  return { prefix: prefix.length > 1 ? prefix.replace(/\/+$/, '') : '/', dir };
}

function parseUrl(value: string, source: string): string {
  try {
    const u = new URL(value);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http');
    return value;
  } catch {
    throw new ConfigError(`${source}: expected an http(s) URL, got "${value}"`);
  }
}

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

type Setter = (config: ServerConfig, value: string, source: string) => void;

/** Options that take a value, by flag; the config-file key is the camelCase of the flag. */
const VALUE_OPTIONS: Record<string, Setter> = {
  '--host': (c, v) => (c.host = v),
  '--port': (c, v, s) => (c.port = parsePort(v, s)),
  '--sdk-app-id': (c, v, s) => (c.sdkAppId = parseIntIn(v, s, 1, 4294967295)),
  '--secret-key': (c, v) => (c.secretKey = v),
  '--ice-ip': (c, v) => (c.iceIp = v),
  '--callback-url': (c, v, s) => (c.callbackUrl = parseUrl(v, s)),
  '--callback-key': (c, v) => (c.callbackKey = v),
  '--grace-seconds': (c, v, s) => (c.graceSeconds = parseIntIn(v, s, 0, 3600)),
  '--janus': (c, v) => (c.janusBinary = v),
  '--rtp-port-range': (c, v, s) => {
    if (!/^\d+-\d+$/.test(v)) throw new ConfigError(`${s}: expected min-max, got "${v}"`);
    c.rtpPortRange = v;
  },
  '--client-log-dir': (c, v, s) => {
    if (v.trim() === '') throw new ConfigError(`${s}: expected a folder`);
    c.clientLogDir = v;
  },
  '--client-log-max-mb': (c, v, s) => (c.clientLogMaxMb = parsePositive(v, s, 1_000_000)),
};

const BOOL_OPTIONS: Record<string, (c: ServerConfig, v: boolean) => void> = {
  '--dev-usersig': (c, v) => (c.devUsersig = v),
  '--require-private-map-key': (c, v) => (c.requirePrivateMapKey = v),
  '--no-janus': (c, v) => (c.noJanus = v),
};

const ENV: Record<string, string> = {
  TRTC_HOST: '--host',
  TRTC_PORT: '--port',
  TRTC_SDK_APP_ID: '--sdk-app-id',
  TRTC_SECRET_KEY: '--secret-key',
  TRTC_ICE_IP: '--ice-ip',
  TRTC_CALLBACK_URL: '--callback-url',
  TRTC_CALLBACK_KEY: '--callback-key',
  TRTC_GRACE_SECONDS: '--grace-seconds',
  TRTC_JANUS: '--janus',
  TRTC_RTP_PORT_RANGE: '--rtp-port-range',
  TRTC_CLIENT_LOG_DIR: '--client-log-dir',
  TRTC_CLIENT_LOG_MAX_MB: '--client-log-max-mb',
};

const camel = (flag: string): string => flag.slice(2).replace(/-([a-z])/g, (_, ch: string) => ch.toUpperCase());

function applyFile(config: ServerConfig, file: string): void {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError(`--config ${file}: ${(e as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new ConfigError(`--config ${file}: expected a JSON object`);
  }
  const known = new Map<string, string>();
  for (const f of [...Object.keys(VALUE_OPTIONS), ...Object.keys(BOOL_OPTIONS), '--static']) known.set(camel(f), f);
  for (const [key, value] of Object.entries(doc)) {
    const flag = known.get(key);
    const source = `${file}: ${key}`;
    if (!flag) throw new ConfigError(`${source}: unknown option`);
    if (flag === '--static') {
      const list = Array.isArray(value) ? value : [value];
      config.staticMounts = list.map((v) => parseMount(String(v), source));
    } else if (flag in BOOL_OPTIONS) {
      if (typeof value !== 'boolean') throw new ConfigError(`${source}: expected true or false`);
      BOOL_OPTIONS[flag]?.(config, value);
    } else {
      if (typeof value !== 'string' && typeof value !== 'number') throw new ConfigError(`${source}: expected a value`);
      VALUE_OPTIONS[flag]?.(config, String(value), source);
    }
  }
}

/** Reads the configuration from argv (without node and script) and the environment. */
export function parseConfig(argv: readonly string[], env: NodeJS.ProcessEnv): ServerConfig | 'help' {
  const config: ServerConfig = {
    host: '127.0.0.1',
    port: 8080,
    staticMounts: [],
    sdkAppId: 0,
    secretKey: '',
    graceSeconds: 30,
    devUsersig: false,
    requirePrivateMapKey: false,
    janusBinary: 'janus',
    noJanus: false,
    clientLogMaxMb: 100,
  };
  for (const [name, flag] of Object.entries(ENV)) {
    const v = env[name];
    if (v !== undefined && v !== '') VALUE_OPTIONS[flag]?.(config, v, name);
  }
  if (env.TRTC_STATIC) {
    config.staticMounts = env.TRTC_STATIC.split(',')
      .filter((s) => s.length > 0)
      .map((s) => parseMount(s, 'TRTC_STATIC'));
  }
  // Split argv into (flag, value) pairs first, so the config file applies before any flag.
  const pairs: [string, string | undefined][] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') return 'help';
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    if (flag in BOOL_OPTIONS) {
      if (inline !== undefined && inline !== 'true' && inline !== 'false') {
        throw new ConfigError(`${flag} takes no value (or =true/=false)`);
      }
      pairs.push([flag, inline ?? 'true']);
      continue;
    }
    if (!(flag in VALUE_OPTIONS) && flag !== '--static' && flag !== '--config') {
      throw new ConfigError(`unknown option "${arg}"`);
    }
    const v = inline ?? argv[++i];
    if (v === undefined) throw new ConfigError(`${flag} needs a value`);
    pairs.push([flag, v]);
  }
  for (const [flag, v] of pairs) if (flag === '--config') applyFile(config, v as string);
  let flagMounts: StaticMount[] | undefined;
  for (const [flag, v] of pairs) {
    const value = v as string;
    if (flag === '--config') continue;
    if (flag === '--static') (flagMounts ??= []).push(parseMount(value, '--static'));
    else if (flag in BOOL_OPTIONS) BOOL_OPTIONS[flag]?.(config, value === 'true');
    else VALUE_OPTIONS[flag]?.(config, value, flag);
  }
  if (flagMounts) config.staticMounts = flagMounts;
  if (config.devUsersig && !isLoopbackHost(config.host)) {
    throw new ConfigError(
      `--dev-usersig issues UserSigs to anyone who asks, so it is refused on a non-loopback host (${config.host})`,
    );
  }
  if ((config.sdkAppId === 0) !== (config.secretKey === '')) {
    throw new ConfigError('--sdk-app-id and --secret-key go together: give both or neither');
  }
  return config;
}
