import { useState } from 'react';
import { TopTable } from './components/TopTable';
import { SeriesPanel } from './components/SeriesPanel';

export function App() {
  const [selected, setSelected] = useState<string | undefined>(() => new URLSearchParams(location.search).get('ip') ?? undefined);
  const select = (ip: string) => {
    setSelected(ip);
    history.replaceState(null, '', `?ip=${encodeURIComponent(ip)}`);
  };
  return (
    <div className="layout">
      <header>
        <h1>ipscope</h1>
        <span className="muted">what has this IP been doing?</span>
      </header>
      <aside>
        <TopTable selected={selected} onSelect={select} />
      </aside>
      <main>{selected ? <SeriesPanel ip={selected} /> : <p className="muted">Pick an IP on the left to chart it.</p>}</main>
    </div>
  );
}
