/**
 * Asks for the API's bearer token once, when the API answers 401 (a local
 * stack started with `FLEETWAVE_API_TOKEN`). The token is kept in
 * `sessionStorage`: it lasts as long as the tab and is sent by no other.
 */
import { useState } from 'preact/hooks';
import { saveToken } from '../api.js';

export function TokenForm(props: { onSaved: () => void }) {
  const [token, setToken] = useState('');
  return (
    <main>
      <h1 tabIndex={-1}>API token</h1>
      <form
        class="token"
        onSubmit={(e) => {
          e.preventDefault();
          saveToken(token.trim());
          props.onSaved();
        }}
      >
        <p>This API asks for a bearer token (the value of FLEETWAVE_API_TOKEN). It is kept in this tab only.</p>
        <label>
          Token{' '}
          <input type="password" name="token" autoComplete="off" required value={token} onInput={(e) => setToken(e.currentTarget.value)} />
        </label>{' '}
        <button type="submit" class="primary">
          Use the token
        </button>
      </form>
    </main>
  );
}
