import type { CatalogResponse } from '@ipscope/api';

/**
 * Id of the `<script type="application/json">` element in which the server hands the page
 * the metric catalog with its HTML (a data block: never run, so the strict script policy
 * allows it), sparing the page a round trip before its first data request.
 */
export const CATALOG_ELEMENT_ID = 'ipscope-catalog';

/** The catalog the server put into the page, or undefined (no such element, as with Vite's dev server, or unreadable). */
export function readEmbeddedCatalog(doc: { getElementById(id: string): { textContent: string | null } | null }): CatalogResponse | undefined {
  const text = doc.getElementById(CATALOG_ELEMENT_ID)?.textContent;
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && Array.isArray((value as CatalogResponse).metrics) && Array.isArray((value as CatalogResponse).intervals) ? (value as CatalogResponse) : undefined;
  } catch {
    return undefined;
  }
}
