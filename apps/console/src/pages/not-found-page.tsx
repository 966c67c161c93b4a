import { Page } from '../components/page';
import { Link } from '../router';

export function NotFoundPage() {
  return (
    <Page title="Page not found">
      <p>
        There is no such page in the console. Go to <Link to="/credentials">Credentials</Link>.
      </p>
    </Page>
  );
}
