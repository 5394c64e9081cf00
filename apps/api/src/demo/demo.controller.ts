import { Controller, Get, Headers, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '@herald/auth';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { NotFoundError, UnavailableError } from '@herald/errors';
import { renderDemoPage, type DemoPage } from './demo-page.js';
import { SERVICE_WORKER } from './demo-push.script.js';
import { DevTokens, type DevToken } from './dev-tokens.js';
import { SDK_FILES, SdkBundle } from './sdk-bundle.js';

/**
 * The demo inbox at `/`, the SDK bundle it imports at `/sdk/`, and,
 * outside production only, the tokens that let it sign in a demo user and
 * send test notifications. Public: the page carries its own credentials.
 */
@Public()
@ApiExcludeController()
@Controller()
export class DemoController {
  private readonly page: DemoPage;

  constructor(
    @Inject(HERALD_CONFIG) config: HeraldConfig,
    @Inject(SdkBundle) private readonly sdk: SdkBundle,
    @Inject(DevTokens) private readonly tokens: DevTokens,
  ) {
    // Dev mode (the send form, the sign-in, the test hooks such as `?ws=`)
    // only where Herald mints its own tokens: with an operator's secret a
    // crafted `?ws=` link could send a user's socket ticket elsewhere.
    this.page = renderDemoPage({ dev: tokens.enabled });
  }

  @Get()
  inbox(@Res() res: FastifyReply): void {
    res.headers({ ...this.page.headers, 'Content-Type': 'text/html; charset=utf-8' }).send(this.page.html);
  }

  /** The page's service worker, at the root so its scope is the whole origin. */
  @Get('sw.js')
  serviceWorker(@Res() res: FastifyReply): void {
    res.headers({ 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' }).send(SERVICE_WORKER);
  }

  @Get('sdk/:file')
  bundle(@Param('file') file: string, @Headers('if-none-match') ifNoneMatch: string | undefined, @Res() res: FastifyReply): void {
    if (!Object.hasOwn(SDK_FILES, file)) throw new NotFoundError('file');
    const sdk = this.sdk.file(file);
    if (!sdk) throw new UnavailableError('the SDK bundle is not built: run `npm run build` (writes dist/client)');
    // Revalidated each load (ETag), so a rebuilt bundle is never stale.
    res.headers({ 'Content-Type': SDK_FILES[file], 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff', ETag: sdk.etag });
    if (ifNoneMatch?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === sdk.etag)) res.status(304).send();
    else res.send(sdk.bytes);
  }

  @Post('demo/dev-token')
  @HttpCode(201)
  devUserToken(): DevToken {
    return this.dev(() => this.tokens.user());
  }

  @Post('demo/dev-service-token')
  @HttpCode(201)
  devServiceToken(): DevToken {
    return this.dev(() => this.tokens.service());
  }

  /** In production these routes do not exist, as far as a caller can tell. */
  private dev(issue: () => DevToken): DevToken {
    if (!this.tokens.enabled) throw new NotFoundError('route');
    return issue();
  }
}
