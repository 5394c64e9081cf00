import type { FastifyReply } from 'fastify';
import type { HeraldConfig } from '@herald/config';
import { UnavailableError } from '@herald/errors';
import { DemoController } from './demo.controller.js';
import { DevTokens } from './dev-tokens.js';
import type { SdkBundle } from './sdk-bundle.js';

const config = (env: HeraldConfig['env']) => ({ env, jwt: { secret: 'x'.repeat(32) } }) as HeraldConfig;
const notBuilt = { read: () => null, file: () => null } as unknown as SdkBundle;

describe('DemoController', () => {
  it('answers 503 with the fix when the SDK bundle is not built', () => {
    const sut = new DemoController(config('development'), notBuilt, new DevTokens(config('development')));

    let error: unknown;
    try {
      sut.bundle('herald-client.js', undefined, {} as FastifyReply);
    } catch (thrown) {
      error = thrown;
    }

    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as UnavailableError).code).toBe('unavailable');
    expect((error as UnavailableError).message).toMatch(/npm run build/);
  });

  it('refuses dev tokens in production, and without an HS256 secret', () => {
    const production = new DemoController(config('production'), notBuilt, new DevTokens(config('production')));
    const jwksOnly = { env: 'development', jwt: { secret: undefined } } as unknown as HeraldConfig;
    const noSecret = new DemoController(jwksOnly, notBuilt, new DevTokens(jwksOnly));

    for (const sut of [production, noSecret]) {
      expect(() => sut.devUserToken()).toThrow(expect.objectContaining({ code: 'not_found' }));
      expect(() => sut.devServiceToken()).toThrow(expect.objectContaining({ code: 'not_found' }));
    }
  });
});
