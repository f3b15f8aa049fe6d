import { useQuery } from '@tanstack/react-query';
import { fetchTop } from '../api/skeletonClient';

/** The busiest responder IPs; clicking one selects it. */
export function TopTable({ selected, onSelect }: { selected: string | undefined; onSelect: (ip: string) => void }) {
  const top = useQuery({ queryKey: ['top', 25], queryFn: () => fetchTop(25), refetchInterval: 5000 });
  if (top.isPending) return <p className="muted">Loading busiest IPs…</p>;
  if (top.isError)
    return (
      <div className="error" role="alert">
        Could not load the busiest IPs: {top.error.message} <button onClick={() => void top.refetch()}>Retry</button>
      </div>
    );
  if (top.data.items.length === 0) return <p className="muted" data-testid="top-empty">No connections ingested yet. Is traffic flowing into Kafka?</p>;
  return (
    <table data-testid="top-table">
      <caption>Busiest IPs (connections responded to)</caption>
      <thead>
        <tr>
          <th scope="col">IP</th>
          <th scope="col" className="num">Connections</th>
        </tr>
      </thead>
      <tbody>
        {top.data.items.map((item) => (
          <tr key={item.ip} data-testid="top-row" aria-selected={item.ip === selected}>
            <td>
              <button className="link" onClick={() => onSelect(item.ip)}>
                {item.ip}
              </button>
            </td>
            <td className="num">{item.connections.toLocaleString('en-US')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
