import { Controller, Get, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
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
  inbox(@Res() res: Response): void {
    res.set(this.page.headers).type('html').send(this.page.html);
  }

  /** The page's service worker, at the root so its scope is the whole origin. */
  @Get('sw.js')
  serviceWorker(@Res() res: Response): void {
    res.set({ 'Content-Type': 'text/javascript', 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' }).send(SERVICE_WORKER);
  }

  @Get('sdk/:file')
  bundle(@Param('file') file: string, @Res() res: Response): void {
    if (!Object.hasOwn(SDK_FILES, file)) throw new NotFoundError('file');
    const bytes = this.sdk.read(file);
    if (!bytes) throw new UnavailableError('the SDK bundle is not built: run `npm run build` (writes dist/client)');
    // Revalidated each load (ETag), so a rebuilt bundle is never stale.
    res.set({ 'Content-Type': SDK_FILES[file], 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' }).send(bytes);
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
