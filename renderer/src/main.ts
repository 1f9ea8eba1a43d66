import { mount } from 'svelte';
import type { FetchLike } from '../../shared/client.js';
import App from './app.svelte';
import { createTransport } from './lib/transport.js';
import { AppState } from './stores/app.svelte.js';
import './app.css';

const transport = createTransport({
  reeltag: (window as { reeltag?: unknown }).reeltag,
  fetch: window.fetch.bind(window) as unknown as FetchLike,
  EventSource: window.EventSource,
  XMLHttpRequest: window.XMLHttpRequest,
});
const state = new AppState(transport);
mount(App, { target: document.getElementById('app')!, props: { app: state } });
