// Room server configuration: command-line flags win over environment variables, which win over
// the defaults. (The signaling, auth and Janus options arrive with the room server issue.)

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
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export const USAGE = `Usage: npm run server -- [options]
  --host <addr>            address to listen on (env TRTC_HOST, default 127.0.0.1)
  --port <n>               port to listen on (env TRTC_PORT, default 8080)
  --static [<prefix>=]<dir>  serve the files of <dir> under <prefix> (default "/"); repeatable
                           (env TRTC_STATIC, comma-separated)
  --help                   print this help`;

function parsePort(value: string, source: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`${source}: port must be an integer 0–65535, got "${value}"`);
  }
  return port;
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

/** Reads the configuration from argv (without node and script) and the environment. */
export function parseConfig(argv: readonly string[], env: NodeJS.ProcessEnv): ServerConfig | 'help' {
  const config: ServerConfig = {
    host: env.TRTC_HOST ?? '127.0.0.1',
    port: env.TRTC_PORT !== undefined ? parsePort(env.TRTC_PORT, 'TRTC_PORT') : 8080,
    staticMounts: (env.TRTC_STATIC ?? '')
      .split(',')
      .filter((s) => s.length > 0)
      .map((s) => parseMount(s, 'TRTC_STATIC')),
  };
  let flagMounts: StaticMount[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') return 'help';
    const [flag, inline] = arg.includes('=') && arg.startsWith('--') ? splitOnce(arg) : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new ConfigError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--host':
        config.host = value();
        break;
      case '--port':
        config.port = parsePort(value(), '--port');
        break;
      case '--static':
        (flagMounts ??= []).push(parseMount(value(), '--static'));
        break;
      default:
        throw new ConfigError(`unknown option "${arg}"`);
    }
  }
  if (flagMounts) config.staticMounts = flagMounts;
  return config;
}

function splitOnce(arg: string): [string, string] {
  const eq = arg.indexOf('=');
  return [arg.slice(0, eq), arg.slice(eq + 1)];
}
