import { readFileSync } from 'node:fs';
import { configSchema } from './config.schema.js';
import { ConfigError, loadConfig } from './load-config.js';

describe('configuration', () => {
  it('documents every variable in the README table', () => {
    const readme = readFileSync('README.md', 'utf8');

    const undocumented = Object.keys(configSchema.shape).filter((name) => !readme.includes(`| \`${name}\` |`));

    expect(undocumented).toEqual([]);
  });

  it('applies the documented defaults', () => {
    const sut = loadConfig({ defaultPort: 3001, env: { HERALD_JWT_SECRET: 's'.repeat(32) } });

    expect(sut).toMatchObject({
      port: 3001,
      redis: { prefix: 'herald:' },
      gateway: { heartbeatMs: 25000, maxConnectionsPerUser: 10, maxFramesPerSecond: 20, maxFrameBytes: 4096, sendBufferBytes: 1048576, drainMs: 10000 },
      http: { bodyLimit: 262144 },
      retentionDays: 30,
    });
  });

  it('refuses to start in production without a key', () => {
    expect(() => loadConfig({ defaultPort: 1, env: { NODE_ENV: 'production' } })).toThrow(ConfigError);
  });

  it('names each bad variable', () => {
    expect(() => loadConfig({ defaultPort: 1, env: { PORT: 'x', HERALD_JWT_SECRET: 'short' } })).toThrow(/PORT[\s\S]*HERALD_JWT_SECRET/);
  });

  it('splits the origin allow list', () => {
    const sut = loadConfig({ defaultPort: 1, env: { HERALD_JWT_SECRET: 's'.repeat(32), HERALD_ALLOWED_ORIGINS: 'https://a.test, https://b.test' } });

    expect(sut.gateway.allowedOrigins).toEqual(['https://a.test', 'https://b.test']);
  });
});
