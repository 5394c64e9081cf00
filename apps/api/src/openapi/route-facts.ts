import type { INestApplication } from '@nestjs/common';
import { GUARDS_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import { IS_PUBLIC, REQUIRED_SCOPES } from '@herald/auth';
import { PublishRateLimitGuard } from '../rate-limit/publish-rate-limit.guard.js';
import { RATE_LIMIT } from '../rate-limit/user-rate-limit.guard.js';

/** What the guards will do to a route, read from the same metadata they read. */
export interface RouteFacts {
  /** Scopes a service principal needs; empty: a user route. */
  scopes: string[];
  public: boolean;
  /** The per-user or per-publisher budget the route spends, beside the per-address one. */
  budget?: string;
}

type Handler = (...args: unknown[]) => unknown;

/**
 * The facts of every route handler, keyed by `Controller.method` (the key
 * the OpenAPI operation id is made from). Read from the controllers the app
 * really mounted, so the document cannot drift from the guards.
 */
export function routeFacts(app: INestApplication): Map<string, RouteFacts> {
  const facts = new Map<string, RouteFacts>();
  for (const module of app.get(ModulesContainer, { strict: false }).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      for (const method of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, Handler>)[method];
        if (method === 'constructor' || typeof handler !== 'function' || !Reflect.hasMetadata(PATH_METADATA, handler)) continue;
        facts.set(`${controller.name}.${method}`, factsOf(controller, handler));
      }
    }
  }
  return facts;
}

function factsOf(controller: object, handler: Handler): RouteFacts {
  const read = <T>(key: string): T | undefined => Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, controller);
  const guards = [...(Reflect.getMetadata(GUARDS_METADATA, controller) ?? []), ...(Reflect.getMetadata(GUARDS_METADATA, handler) ?? [])];
  const budget = read<string>(RATE_LIMIT) ?? (guards.includes(PublishRateLimitGuard) ? 'publish' : undefined);
  return { scopes: read<string[]>(REQUIRED_SCOPES) ?? [], public: read<boolean>(IS_PUBLIC) === true, ...(budget ? { budget } : {}) };
}
