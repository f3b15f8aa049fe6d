/** One problem found in a catalog: where (`metrics[3].type`) and what. */
export interface CatalogIssue {
  path: string;
  message: string;
}

/**
 * A metric catalog is invalid. Thrown at start-up by `validateCatalog` /
 * `compileCatalog`; lists every problem found, each naming the offending
 * field path. Not retriable: the catalog must be fixed.
 */
export class CatalogError extends Error {
  readonly retriable = false;
  /** Path of the first issue, e.g. `metrics[3].type`. */
  readonly path: string;

  constructor(readonly issues: readonly CatalogIssue[]) {
    super(issues.map((i) => `${i.path}: ${i.message}`).join('; '));
    this.name = 'CatalogError';
    this.path = issues[0]?.path ?? 'metrics';
  }
}
