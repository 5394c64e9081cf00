import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { IS_PUBLIC, Public } from './auth.decorators.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import type { JwtStrategy } from './jwt.strategy.js';

class Base {
  handle(): void {}
}
/** The same handler under class decorators of its own. */
@Public()
class OpenToAll extends Base {}
class Guarded extends Base {}

/** A strategy passport runs that refuses every credential, as a missing token is refused. */
const refusing = { authenticate(this: { fail(info: unknown): void }) { this.fail('no token'); } } as unknown as JwtStrategy;
const context = (owner: unknown, handler: unknown) => new ExecutionContextHost([{ headers: {} }, {}, undefined], owner as never, handler as never);

describe('JwtAuthGuard route rules', () => {
  const sut = new JwtAuthGuard(new Reflector(), refusing);

  it('tells an inherited handler apart by the class it runs under, each time', async () => {
    for (let round = 0; round < 2; round++) {
      await expect(sut.canActivate(context(OpenToAll, Base.prototype.handle))).resolves.toBe(true);
      await expect(sut.canActivate(context(Guarded, Base.prototype.handle))).rejects.toMatchObject({ code: 'unauthorized' });
    }
  });

  it('reads a context without a class (or handler) instead of throwing', async () => {
    const handler = function publicHandler(): void {};
    Reflect.defineMetadata(IS_PUBLIC, true, handler);
    await expect(sut.canActivate(context(undefined, handler))).resolves.toBe(true);
    await expect(sut.canActivate(context(Guarded, undefined))).rejects.toMatchObject({ code: 'unauthorized' });
  });
});
