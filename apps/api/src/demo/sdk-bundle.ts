import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Injectable } from '@nestjs/common';

/** What `/sdk/<name>` may serve, with its content type; nothing else is read from disk. */
export const SDK_FILES: Readonly<Record<string, string>> = {
  'herald-client.js': 'text/javascript; charset=utf-8',
  'herald-client.js.map': 'application/json; charset=utf-8',
};

/**
 * Where `npm run build` leaves the bundle. Compiled, this file is
 * dist/apps/api/src/demo/sdk-bundle.js, so dist/client is four levels up
 * (the Docker image copies dist/ whole). Under jest it runs from the source
 * tree, where the repo root (the working directory) has dist/client.
 */
export function sdkDirectories(moduleUrl: string = import.meta.url, cwd: string = process.cwd()): string[] {
  return [fileURLToPath(new URL('../../../../client/', moduleUrl)), join(cwd, 'dist', 'client')];
}

export interface SdkFile {
  bytes: Buffer;
  etag: string;
}

/** The SDK bundle the demo page imports, read from dist/client on first use. */
@Injectable()
export class SdkBundle {
  protected readonly directories: string[] = sdkDirectories();
  private readonly cache = new Map<string, SdkFile>();

  /** The file's bytes, or null when it is not a served name or not built. */
  read(name: string): Buffer | null {
    return this.file(name)?.bytes ?? null;
  }

  /** The file's bytes and the ETag a browser revalidates with, or null as read(). */
  file(name: string): SdkFile | null {
    if (!Object.hasOwn(SDK_FILES, name)) return null;
    const cached = this.cache.get(name);
    if (cached) return cached;
    for (const dir of this.directories) {
      try {
        const bytes = readFileSync(join(dir, name));
        const file = { bytes, etag: `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"` };
        this.cache.set(name, file);
        return file;
      } catch {
        // Not here; try the next place. A miss is not cached, so a later build is picked up.
      }
    }
    return null;
  }
}
