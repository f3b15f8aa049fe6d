import { useState } from 'react';
import { groupPng } from '../../components/chartGroup';

function download(href: string, filename: string): void {
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
}

/** Export the visible series as CSV (made by the server), the charts as one PNG, and copy a link that restores this exact view. */
export function ExportBar({ csvUrl, fileStem, group, shareUrl, background }: { csvUrl: string; fileStem: string; group: string; shareUrl: string; background: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | undefined>(undefined);
  const [pngProblem, setPngProblem] = useState<string | undefined>(undefined);
  return (
    <div className="export-bar" role="group" aria-label="Export and share">
      <a className="button" href={csvUrl} download={`${fileStem}.csv`} data-testid="export-csv">
        Export CSV
      </a>
      <button
        type="button"
        data-testid="export-png"
        onClick={() => {
          const png = groupPng(group, background);
          if (png) {
            setPngProblem(undefined);
            download(png, `${fileStem}.png`);
          } else setPngProblem('No chart is drawn yet');
        }}
      >
        Export PNG
      </button>
      <button
        type="button"
        data-testid="copy-link"
        onClick={() => {
          navigator.clipboard.writeText(shareUrl).then(
            () => setCopied('yes'),
            () => setCopied('failed'),
          );
        }}
      >
        Copy link
      </button>
      <input className="share-link" readOnly value={shareUrl} aria-label="Link to this view" data-testid="share-link" onFocus={(e) => e.target.select()} />
      <span role="status" aria-live="polite" className="muted">
        {copied === 'yes' ? 'Link copied.' : copied === 'failed' ? 'Copy failed: select the link and copy it.' : ''}
        {pngProblem}
      </span>
    </div>
  );
}
