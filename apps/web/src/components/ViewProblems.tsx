import type { ViewProblem } from '../state/viewState';

/** URL parameters that were ignored, and why: a mistyped link still opens, and says what it fixed. */
export function ViewProblems({ problems }: { problems: readonly ViewProblem[] }) {
  if (problems.length === 0) return null;
  return (
    <div className="state state-warning" role="alert" data-testid="view-problems">
      <strong>Some of this link was not understood and defaults are shown instead:</strong>
      <ul>
        {problems.map((p) => (
          <li key={p.parameter + p.message}>
            <code>{p.parameter}</code>: {p.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
