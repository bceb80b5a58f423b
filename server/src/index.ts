#!/usr/bin/env node
// The room server: `npm run server -- --port 8080 --static demo`.
import { readFileSync } from 'node:fs';

import { ConfigError, parseConfig, USAGE } from './config.js';
import { createHttpServer } from './http-server.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

function main(): void {
  let config;
  try {
    config = parseConfig(process.argv.slice(2), process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`room server: ${e.message}\n\n${USAGE}`);
      process.exit(2);
    }
    throw e;
  }
  if (config === 'help') {
    console.log(USAGE);
    return;
  }
  const server = createHttpServer(config, version);
  server.on('error', (e) => {
    console.error(`room server: cannot listen on ${config.host}:${config.port}: ${e.message}`);
    process.exit(1);
  });
  server.listen(config.port, config.host, () => {
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.port;
    console.log(`room server ${version} listening on http://${config.host}:${port}`);
    for (const m of config.staticMounts) console.log(`  serving ${m.dir} at ${m.prefix}`);
  });
  const stop = (): void => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main();
