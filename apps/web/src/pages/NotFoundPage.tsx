import { Link } from '../router/Link';

export default function NotFoundPage({ path }: { path: string }) {
  return (
    <div className="page" data-testid="not-found">
      <div className="state state-error" role="alert">
        <h1>No such page</h1>
        <p>
          <code>{path}</code> is not a page of ipscope. IP pages are at <code>/ip/&lt;address&gt;</code>.
        </p>
        <Link to="/">Back to the overview</Link>
      </div>
    </div>
  );
}
