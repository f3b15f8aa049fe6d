import { describe, expect, it } from 'vitest';
import type { CatalogResponse } from '@ipscope/api';
import { CATALOG_ELEMENT_ID, readEmbeddedCatalog } from './embeddedCatalog';

const catalog: CatalogResponse = {
  metrics: [{ name: 'conn.count.resp', type: 'count', key: 'resp', unit: 'connections', description: 'answered </script> connections', intervals: ['days'], ranked: true }],
  intervals: [{ name: 'days', step: 60, steps: 2880 }],
};

/** A document with (or without) the data element, as the page sees it. */
const doc = (text: string | null) => ({ getElementById: (id: string) => (id === CATALOG_ELEMENT_ID && text !== null ? { textContent: text } : null) });

describe('readEmbeddedCatalog', () => {
  it('reads the catalog the server put into the page, escaped so that it cannot close its element', () => {
    const text = JSON.stringify(catalog).replace(/</g, '\\u003c');
    expect(text).not.toContain('</script>');
    expect(readEmbeddedCatalog(doc(text))).toEqual(catalog);
  });

  it.each([
    ['no element (the development server)', null],
    ['an empty element', ''],
    ['text that is not JSON', '{"metrics": ['],
    ['JSON that is not a catalog', '{"metrics": 3}'],
    ['JSON null', 'null'],
  ])('gives undefined for %s, so the page fetches the catalog itself', (_what, text) => {
    expect(readEmbeddedCatalog(doc(text))).toBeUndefined();
  });
});
