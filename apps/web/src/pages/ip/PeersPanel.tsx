import { useState } from 'react';
import type { Peer } from '@ipscope/api';
import { useHeaviestPeers } from '../../api/queries';
import type { RangeQuery } from '../../api/requestUrls';
import { formatCompact, formatExact } from '@ipscope/charts';
import { EmptyState } from '../../components/EmptyState';
import { Link } from '../../router/Link';
import { ipPath } from '../../router/routes';
import { sortPeers, type PeersOrder } from './sortPeers';

function OrderButton({ label, column, order, onOrder }: { label: string; column: PeersOrder; order: PeersOrder; onOrder: (o: PeersOrder) => void }) {
  return (
    <button type="button" className="sort" onClick={() => onOrder(column)} data-testid={`peers-sort-${column}`}>
      {label} <span aria-hidden="true">{order === column ? '▼' : '↕'}</span>
    </button>
  );
}

/**
 * Who the IP talked to, both directions, with connections and bytes; each peer opens its own
 * page over the same window. The rows are the summary's busiest peers by connections; ordered by
 * bytes, they are the heaviest peers by bytes (a second summary request, made only then).
 */
export function PeersPanel({
  ip,
  range,
  peers,
  available,
  linkSearch,
  refreshing,
}: {
  ip: string;
  range: RangeQuery;
  peers: readonly Peer[];
  available: boolean;
  linkSearch: string;
  refreshing: boolean;
}) {
  const [order, setOrder] = useState<PeersOrder>('connections');
  const bytesKnown = peers.some((p) => p.bytes !== null);
  const byBytes = bytesKnown && order === 'bytes';
  const heaviest = useHeaviestPeers(ip, range, byBytes);
  const rows = byBytes ? sortPeers(heaviest.data?.peers ?? peers, 'bytes') : sortPeers(peers, 'connections');
  return (
    <section className="panel" aria-labelledby="peers-heading">
      <h2 id="peers-heading">Peers</h2>
      {!available ? (
        <EmptyState title="Peers are not recorded." testId="peers-unavailable">
          The server's metric catalog keeps no per-peer metrics, so who this IP talked to is not known.
        </EmptyState>
      ) : peers.length === 0 ? (
        <EmptyState title={`No peers of ${ip} recorded in this window.`} testId="peers-empty">
          Peers are counted from connections; widen the range if the IP was active earlier.
        </EmptyState>
      ) : (
        <div className="table-scroll">
          <table data-testid="peers-table" className={refreshing ? 'refreshing' : undefined}>
            <thead>
              <tr>
                <th scope="col">Peer</th>
                <th scope="col">Direction</th>
                <th scope="col" className="num" aria-sort={!bytesKnown || order === 'connections' ? 'descending' : 'none'}>
                  {bytesKnown ? <OrderButton label="Connections" column="connections" order={order} onOrder={setOrder} /> : 'Connections'}
                </th>
                <th scope="col" className="num" aria-sort={bytesKnown && order === 'bytes' ? 'descending' : 'none'}>
                  {bytesKnown ? <OrderButton label="Bytes" column="bytes" order={order} onOrder={setOrder} /> : 'Bytes'}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => (
                <tr key={`${p.direction}-${p.ip}`} data-testid="peer-row" data-ip={p.ip} data-direction={p.direction} data-connections={p.connections} data-bytes={p.bytes ?? ''}>
                  <td>
                    <Link to={`${ipPath(p.ip)}${linkSearch}`}>{p.ip}</Link>
                  </td>
                  <td>{p.direction === 'out' ? `${ip} → peer` : `peer → ${ip}`}</td>
                  <td className="num">{formatExact(p.connections)}</td>
                  <td className="num" data-testid="peer-bytes" title={p.bytes === null ? 'not recorded' : `${formatExact(p.bytes)} bytes`}>
                    {p.bytes === null ? '–' : formatCompact(p.bytes, 'bytes')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
