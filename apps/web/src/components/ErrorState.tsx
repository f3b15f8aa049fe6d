import { ApiError } from '../api/apiError';

/** Why something failed, in words, with the parameter the server rejected and a retry button; never a blank page. */
export function ErrorState({ what, error, onRetry }: { what: string; error: unknown; onRetry?: () => void }) {
  const api = error instanceof ApiError ? error : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="state state-error" role="alert" data-testid="error-state">
      <strong>Could not load {what}.</strong> <span>{message}</span>
      {api?.parameter && <span> (parameter: <code>{api.parameter}</code>)</span>}
      {api?.requestId && <span className="muted"> Request id {api.requestId}.</span>}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
