/** The dashboard's entry point: renders the app and lets its links move without a reload. */
import { render } from 'preact';
import { App } from './app.js';
import { interceptLinks } from './router.js';

const root = document.getElementById('app');
if (root) {
  interceptLinks(root);
  render(<App />, root);
}
