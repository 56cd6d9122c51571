import { render } from 'preact';
import { App } from './App.js';
import { loadConfig } from './config.js';
import './styles.css';

await loadConfig();
const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<App />, root);
}
