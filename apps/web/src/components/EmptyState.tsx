import type { ReactNode } from 'react';

/** No data, and why: the analyst must be able to tell "nothing happened" from "nothing arrived". */
export function EmptyState({ title, children, testId = 'empty-state' }: { title: string; children?: ReactNode; testId?: string }) {
  return (
    <div className="state state-empty" data-testid={testId}>
      <strong>{title}</strong>
      {children && <div className="muted">{children}</div>}
    </div>
  );
}
