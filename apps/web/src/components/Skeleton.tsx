/** A placeholder the size of the content it stands for, announced as loading. */
export function Skeleton({ label, height = 120, lines }: { label: string; height?: number; lines?: number }) {
  return (
    <div className="skeleton" role="status" aria-busy="true" aria-label={label} data-testid="skeleton">
      {lines ? Array.from({ length: lines }, (_, i) => <div key={i} className="skeleton-line" />) : <div className="skeleton-block" style={{ height }} />}
    </div>
  );
}
