import { Module } from '@nestjs/common';
import { DemoController } from './demo.controller.js';
import { DevTokens } from './dev-tokens.js';
import { SdkBundle } from './sdk-bundle.js';

/** The demo inbox page and its SDK bundle; part of the api, and so of `npm start`. */
@Module({
  controllers: [DemoController],
  providers: [SdkBundle, DevTokens],
})
export class DemoModule {}
