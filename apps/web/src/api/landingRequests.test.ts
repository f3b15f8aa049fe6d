import { describe, expect, it } from 'vitest';
import type { CatalogResponse } from '@ipscope/api';
import { ipPageQueries } from '../pages/ip/ipPageQueries';
import { DEFAULT_VIEW } from '../state/viewState';
import { landingRequests } from './landingRequests';
import { alertsUrl, seriesUrl, summaryUrl, SUMMARY_PEERS } from './requestUrls';

const catalog: CatalogResponse = {
  metrics: ['a.one', 'a.two', 'a.three', 'a.four', 'a.five', 'a.six'].map((name) => ({ name, type: 'count', key: 'resp', unit: 'connections', description: '', intervals: ['days'], ranked: false })),
  intervals: [
    { name: 'days', step: 60, steps: 2880 },
    { name: 'months', step: 1800, steps: 4032 },
  ],
};
const now = 1_700_000_030;

describe('landingRequests', () => {
  it("names an IP page's requests exactly as the page's fetches do, in the order the page needs them", () => {
    const urls = landingRequests({ pathname: '/ip/10.0.0.1', search: '?from=1699990000&to=1699993600&live=0' }, catalog, now);
    const q = ipPageQueries('10.0.0.1', { ...DEFAULT_VIEW, range: { kind: 'custom', from: 1_699_990_000, to: 1_699_993_600 }, live: false }, now, catalog);
    const [first, second] = q.seriesParts!;
    expect(urls).toEqual([seriesUrl('10.0.0.1', first!), alertsUrl(q.alerts), seriesUrl('10.0.0.1', second!), summaryUrl('10.0.0.1', { ...q.summary, peers: SUMMARY_PEERS })]);
    expect(urls[0]).toBe('/api/ips/10.0.0.1/series?metrics=a.one,a.two,a.three,a.four&interval=days&from=1699990000&to=1699993600&maxPoints=1100');
    expect(urls[3]).toBe('/api/ips/10.0.0.1/summary?interval=days&from=1699990000&to=1699993600&peers=25');
  });

  it('follows the view in the URL: a relative range at `now`, named metrics in one request, an IPv6 address escaped', () => {
    const urls = landingRequests({ pathname: '/ip/2001:db8::1', search: '?metrics=a.two' }, catalog, now);
    expect(urls).toEqual([
      '/api/ips/2001%3Adb8%3A%3A1/series?metrics=a.two&interval=days&from=1699913640&to=1700000040&maxPoints=1100',
      '/api/alerts?ip=2001%3Adb8%3A%3A1&from=1699913640&to=1700000040&limit=200',
      '/api/ips/2001%3Adb8%3A%3A1/summary?interval=days&from=1699913640&to=1700000040&peers=25',
    ]);
  });

  it.each(['/', '/ip/not-an-ip', '/ip/10.0.0.1/extra', '/somewhere'])('plans nothing for %s', (pathname) => {
    expect(landingRequests({ pathname, search: '' }, catalog, now)).toEqual([]);
  });
});
