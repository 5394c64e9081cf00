import type { MetadataStorage } from 'class-validator';

type Lookup = MetadataStorage['getTargetValidationMetadatas'];
type Metadatas = ReturnType<Lookup>;
type Grouped = ReturnType<MetadataStorage['groupByPropertyName']>;

const INSTALLED = Symbol.for('herald.validationMetadataCache');

/**
 * Makes class-validator's metadata storage remember, per class, the rules it
 * looks up for every object it validates. Unchanged, each validation (and
 * each nested object in it) filters the whole storage again, walks every
 * decorated class for inheritance and regroups the result by property: work
 * whose answer only changes when a decorator is added, and the biggest single
 * cost of validating a request body.
 *
 * The answers are the storage's own, computed once and handed out again; any
 * rule added later (a class decorated after startup) drops them all. Lookups
 * with groups are passed through, as are targets that are not classes (the
 * original throws for those, and must go on doing so). The arrays and objects
 * handed out are shared, which is safe because every caller only reads them
 * (class-validator's ValidationExecutor, Nest's ValidationPipe and
 * @nestjs/mapped-types filter, map and index). They are not frozen: V8's
 * Array#filter, which the executor runs on each list per property, is
 * several times slower on frozen arrays.
 *
 * Installs on the storage instance itself (the one process-wide object that
 * class-validator and Nest's ValidationPipe both ask for), once.
 */
export function cacheValidationMetadata(storage: MetadataStorage): void {
  const target = storage as MetadataStorage & { [INSTALLED]?: true };
  if (target[INSTALLED]) return;

  const lookup = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);
  const addMetadata = storage.addValidationMetadata.bind(storage);
  let byClass = new Map<Parameters<Lookup>[0], Map<string, Metadatas>>();
  let groupedOf = new WeakMap<Metadatas, Grouped>();

  Object.defineProperties(target, {
    [INSTALLED]: { value: true },
    getTargetValidationMetadatas: {
      value(...[targetConstructor, targetSchema, always, strictGroups, groups]: Parameters<Lookup>): Metadatas {
        const schema = schemaKey(targetSchema);
        if (typeof targetConstructor !== 'function' || groups !== undefined || schema === undefined) {
          return lookup(targetConstructor, targetSchema, always, strictGroups, groups);
        }
        // The lookup only tests `always` and `strictGroups` for truth.
        const key = `${always ? 1 : 0}${strictGroups ? 1 : 0}${schema}`;
        let ofClass = byClass.get(targetConstructor);
        if (!ofClass) byClass.set(targetConstructor, (ofClass = new Map()));
        let metadatas = ofClass.get(key);
        if (!metadatas) {
          metadatas = lookup(targetConstructor, targetSchema, always, strictGroups, groups);
          groupedOf.set(metadatas, group(metadatas));
          ofClass.set(key, metadatas);
        }
        return metadatas;
      },
    },
    groupByPropertyName: {
      // class-validator groups what it just looked up: our answer, grouped already.
      value: (metadatas: Metadatas): Grouped => groupedOf.get(metadatas) ?? group(metadatas),
    },
    addValidationMetadata: {
      // addValidationSchema adds through this too.
      value(metadata: Parameters<MetadataStorage['addValidationMetadata']>[0]): void {
        byClass = new Map();
        groupedOf = new WeakMap();
        addMetadata(metadata);
      },
    },
  });
}

/**
 * `targetSchema` as part of a key: unset, or the schema name that nested
 * validation passes; undefined for anything else (then not cached).
 */
function schemaKey(targetSchema: unknown): string | undefined {
  if (targetSchema === undefined) return 'u';
  if (targetSchema === null) return 'n';
  return typeof targetSchema === 'string' ? `s${targetSchema}` : undefined;
}
