import { ConfigError, parseConfig } from '../../server/src/config';

describe('room server configuration', () => {
  test('defaults', () => {
    expect(parseConfig([], {})).toEqual({ host: '127.0.0.1', port: 8080, staticMounts: [] });
  });

  test('flags win over environment variables', () => {
    const config = parseConfig(['--port', '9000', '--static', 'demo', '--static=/dist=dist'], {
      TRTC_PORT: '7000',
      TRTC_HOST: '0.0.0.0',
      TRTC_STATIC: 'other',
    });
    expect(config).toEqual({
      host: '0.0.0.0',
      port: 9000,
      staticMounts: [
        { prefix: '/', dir: 'demo' },
        { prefix: '/dist', dir: 'dist' },
      ],
    });
  });

  test('environment variables are used without flags', () => {
    expect(parseConfig([], { TRTC_PORT: '7000', TRTC_STATIC: 'a,/x/=b' })).toEqual({
      host: '127.0.0.1',
      port: 7000,
      staticMounts: [
        { prefix: '/', dir: 'a' },
        { prefix: '/x', dir: 'b' },
      ],
    });
  });

  test('--help', () => {
    expect(parseConfig(['--help'], {})).toBe('help');
  });

  test.each([[['--port', 'abc']], [['--port', '70000']], [['--port']], [['--bogus']], [['--static', 'x=dir']]])(
    'rejects %j with a ConfigError',
    (argv) => {
      expect(() => parseConfig(argv, {})).toThrow(ConfigError);
    },
  );
});
