import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ConfigError, parseConfig, USAGE } from '../../server/src/config';

const DEFAULTS = {
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

function configFile(doc: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'trtc-config-')), 'server.json');
  writeFileSync(file, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return file;
}

describe('room server configuration', () => {
  test('defaults', () => {
    expect(parseConfig([], {})).toEqual(DEFAULTS);
  });

  test('flags win over environment variables', () => {
    const config = parseConfig(['--port', '9000', '--static', 'demo', '--static=/dist=dist'], {
      TRTC_PORT: '7000',
      TRTC_HOST: '0.0.0.0',
      TRTC_STATIC: 'other',
    });
    expect(config).toEqual({
      ...DEFAULTS,
      host: '0.0.0.0',
      port: 9000,
      staticMounts: [
        { prefix: '/', dir: 'demo' },
        { prefix: '/dist', dir: 'dist' },
      ],
    });
  });

  test('environment variables are used without flags', () => {
    expect(
      parseConfig([], {
        TRTC_PORT: '7000',
        TRTC_STATIC: 'a,/x/=b',
        TRTC_SDK_APP_ID: '1400000001',
        TRTC_SECRET_KEY: 'k',
        TRTC_GRACE_SECONDS: '90',
        TRTC_ICE_IP: '10.0.0.5',
      }),
    ).toEqual({
      ...DEFAULTS,
      port: 7000,
      sdkAppId: 1400000001,
      secretKey: 'k',
      graceSeconds: 90,
      iceIp: '10.0.0.5',
      staticMounts: [
        { prefix: '/', dir: 'a' },
        { prefix: '/x', dir: 'b' },
      ],
    });
  });

  test("the issue's command line", () => {
    const config = parseConfig(
      [
        '--port',
        '8080',
        '--sdk-app-id',
        '1400000001',
        '--secret-key',
        'abc',
        '--callback-url',
        'http://127.0.0.1:9/cb',
        '--callback-key',
        'ck',
        '--dev-usersig',
        '--grace-seconds=5',
      ],
      {},
    );
    expect(config).toMatchObject({
      port: 8080,
      sdkAppId: 1400000001,
      secretKey: 'abc',
      callbackUrl: 'http://127.0.0.1:9/cb',
      callbackKey: 'ck',
      devUsersig: true,
      graceSeconds: 5,
    });
  });

  test('a config file sits between the environment and the flags', () => {
    const file = configFile({
      sdkAppId: 1400000002,
      secretKey: 'from-file',
      port: 7100,
      static: ['demo'],
      noJanus: true,
    });
    const config = parseConfig(['--config', file, '--port', '7200'], {
      TRTC_SECRET_KEY: 'from-env',
      TRTC_PORT: '7000',
    });
    expect(config).toMatchObject({
      sdkAppId: 1400000002,
      secretKey: 'from-file',
      port: 7200,
      noJanus: true,
      staticMounts: [{ prefix: '/', dir: 'demo' }],
    });
  });

  test('bad config files are ConfigErrors that name the problem', () => {
    expect(() => parseConfig(['--config', configFile('{nope')], {})).toThrow(ConfigError);
    expect(() => parseConfig(['--config', configFile({ colour: 'blue' })], {})).toThrow(/colour: unknown option/);
    expect(() => parseConfig(['--config', configFile({ devUsersig: 'yes' })], {})).toThrow(/true or false/);
    expect(() => parseConfig(['--config', '/nonexistent/file.json'], {})).toThrow(ConfigError);
  });

  test('--dev-usersig is refused on a non-loopback host', () => {
    expect(() => parseConfig(['--dev-usersig', '--host', '0.0.0.0'], {})).toThrow(/refused/);
    expect(parseConfig(['--dev-usersig', '--host', 'localhost'], {})).toMatchObject({ devUsersig: true });
  });

  test('client log options: flags, environment and config file', () => {
    expect(parseConfig(['--client-log-dir', '/var/log/trtc', '--client-log-max-mb=0.001'], {})).toEqual({
      ...DEFAULTS,
      clientLogDir: '/var/log/trtc',
      clientLogMaxMb: 0.001,
    });
    expect(parseConfig([], { TRTC_CLIENT_LOG_DIR: 'logs', TRTC_CLIENT_LOG_MAX_MB: '250' })).toMatchObject({
      clientLogDir: 'logs',
      clientLogMaxMb: 250,
    });
    const file = configFile({ clientLogDir: 'from-file', clientLogMaxMb: 0.5 });
    expect(parseConfig(['--config', file], { TRTC_CLIENT_LOG_DIR: 'from-env' })).toMatchObject({
      clientLogDir: 'from-file',
      clientLogMaxMb: 0.5,
    });
    expect(parseConfig(['--config', file, '--client-log-max-mb', '2'], {})).toMatchObject({
      clientLogDir: 'from-file',
      clientLogMaxMb: 2,
    });
    expect(parseConfig([], { TRTC_CLIENT_LOG_DIR: '' })).toEqual(DEFAULTS);
  });

  test('the usage lists the client log options', () => {
    expect(USAGE).toMatch(/--client-log-dir <dir>.*\n.*TRTC_CLIENT_LOG_DIR/);
    expect(USAGE).toMatch(/--client-log-max-mb <n>.*\n.*TRTC_CLIENT_LOG_MAX_MB, default 100/);
  });

  test('--help', () => {
    expect(parseConfig(['--help'], {})).toBe('help');
  });

  test.each([
    [['--port', 'abc']],
    [['--port', '70000']],
    [['--port']],
    [['--bogus']],
    [['--static', 'x=dir']],
    [['--sdk-app-id', '0', '--secret-key', 'k']],
    [['--sdk-app-id', '1400000001']],
    [['--secret-key', 'k']],
    [['--grace-seconds', '-1']],
    [['--callback-url', 'ftp://x']],
    [['--rtp-port-range', '10']],
    [['--no-janus=maybe']],
    [['--client-log-dir', '']],
    [['--client-log-dir']],
    [['--client-log-max-mb', '0']],
    [['--client-log-max-mb', '-1']],
    [['--client-log-max-mb', 'abc']],
    [['--client-log-max-mb', ' ']],
    [['--client-log-max-mb', 'Infinity']],
    [['--client-log-max-mb', '1000001']],
  ])('rejects %j with a ConfigError', (argv) => {
    expect(() => parseConfig(argv, {})).toThrow(ConfigError);
  });
});
