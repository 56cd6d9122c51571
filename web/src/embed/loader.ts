// /embed.js: what a host platform's page includes to put Atende's chat on it (docs/embedding.md). No framework and
// no dependencies, so it stays a few kilobytes: it defines window.Atende, adds the /embed frame (Atende's origin,
// where the session lives) to the page, shows and hides it, answers its requests for a platform token with the
// host's own function, and passes its events on. Including it twice or calling init twice still makes one widget.
import type { DocumentRef } from '../api/types.js';
import { documentRefFrom, type HostMessage, messageFrom } from './protocol.js';

interface InitOptions {
  /** The host's function that fetches a fresh platform token from the host's own backend. */
  platformToken: () => Promise<string> | string;
  locale?: 'pt-BR' | 'en';
  /** Atende's own floating button; by default the host uses its own. */
  launcher?: boolean;
}

interface Events {
  unread: (count: number) => void;
  chat: (chat: { ticketId: string; number: number }) => void;
}

export interface AtendeApi {
  init(options: InitOptions): void;
  open(options?: { documentRef?: DocumentRef }): void;
  close(): void;
  on<K extends keyof Events>(event: K, listener: Events[K]): () => void;
}

declare global {
  interface Window {
    Atende?: AtendeApi;
  }
}

const openClass = 'atende-open';
// Bottom right on a desktop, the whole screen on a phone (as Intercom and Zendesk do); above everything the host has.
const css = `.atende-frame{position:fixed;z-index:2147483000;right:16px;bottom:16px;width:min(400px,calc(100vw - 32px));height:min(640px,calc(100vh - 32px));border:0;border-radius:12px;box-shadow:0 8px 28px rgba(0,0,0,.3);background:#fff;display:none}
.atende-frame.${openClass}{display:block}.atende-with-launcher{bottom:84px;height:min(640px,calc(100vh - 100px))}
.atende-launcher{position:fixed;z-index:2147483000;right:16px;bottom:16px;font:700 16px system-ui,sans-serif;background:#0b66c3;color:#fff;border:0;border-radius:999px;padding:12px 20px;box-shadow:0 4px 14px rgba(0,0,0,.25);cursor:pointer}
.atende-launcher span{margin-left:8px;padding:0 6px;border-radius:999px;background:#fff;color:#b00020}
@media (max-width:600px){.atende-frame,.atende-with-launcher{inset:0;width:100%;height:100%;border-radius:0}}`;

function create(): AtendeApi {
  const script = document.currentScript as HTMLScriptElement | null;
  // The frame and every message it sends come from where this script came from.
  const origin = new URL(script?.src || location.href).origin;
  let options: InitOptions | undefined;
  let frame: HTMLIFrameElement | undefined;
  let launcher: HTMLButtonElement | undefined;
  let ready = false;
  const queue: HostMessage[] = [];
  let opener: HTMLElement | null = null;
  const listeners: { [K in keyof Events]: Set<Events[K]> } = { unread: new Set(), chat: new Set() };

  const post = (message: HostMessage) => {
    if (ready && frame?.contentWindow) frame.contentWindow.postMessage(message, origin);
    else queue.push(message);
  };

  function emit<K extends keyof Events>(event: K, value: Parameters<Events[K]>[0]) {
    for (const listener of [...listeners[event]]) {
      try {
        (listener as (value: unknown) => void)(value);
      } catch (error) {
        console.error(`Atende: a listener of "${event}" failed`, error);
      }
    }
  }

  const isOpen = () => frame?.classList.contains(openClass) === true;

  function hide() {
    if (!frame || !isOpen()) return;
    frame.classList.remove(openClass);
    launcher?.setAttribute('aria-expanded', 'false');
    // Back to the host's button (or whatever opened the panel), for a keyboard user.
    const back = opener ?? launcher;
    opener = null;
    back?.focus();
  }

  // The frame asks when it needs a session and again when its refresh chain ends; a failing or odd answer
  // becomes '' (the panel then says sign-in failed) and never an exception on the host's page.
  function giveToken(id: number) {
    Promise.resolve()
      .then(() => options?.platformToken())
      .then(
        (token) => (typeof token === 'string' ? token : ''),
        () => '',
      )
      .then((token) => post({ type: 'atende:token', id, token }));
  }

  function onMessage(event: MessageEvent) {
    const message = messageFrom(event, frame?.contentWindow, [origin]);
    if (!message) return;
    if (message.type === 'atende:ready') {
      ready = true;
      for (const waiting of queue.splice(0)) post(waiting);
    } else if (message.type === 'atende:closed') hide();
    else if (message.type === 'atende:unread' && typeof message.count === 'number') {
      const count = message.count;
      if (launcher) launcher.lastElementChild?.replaceChildren(count > 0 ? String(count) : '');
      emit('unread', count);
    } else if (message.type === 'atende:chat' && typeof message.ticketId === 'string') {
      emit('chat', { ticketId: message.ticketId, number: Number(message.number) });
    } else if (message.type === 'atende:token-request' && typeof message.id === 'number') giveToken(message.id);
  }

  const api: AtendeApi = {
    init(initOptions) {
      if (typeof initOptions?.platformToken !== 'function') {
        console.error('Atende.init: platformToken must be a function that returns a platform token');
        return;
      }
      options = initOptions;
      if (frame) return;
      const style = document.createElement('style');
      style.textContent = css;
      document.head.append(style);
      const english = initOptions.locale === 'en';
      const element = document.createElement('iframe');
      frame = element;
      element.src = `${origin}/embed`;
      element.title = english ? 'Online support' : 'Atendimento Online';
      element.className = 'atende-frame';
      element.addEventListener('load', () => {
        ready = false;
        element.contentWindow?.postMessage({ type: 'atende:hello', locale: initOptions.locale }, origin);
      });
      if (initOptions.launcher) {
        launcher = document.createElement('button');
        launcher.type = 'button';
        launcher.className = 'atende-launcher';
        launcher.setAttribute('aria-expanded', 'false');
        launcher.append(element.title, document.createElement('span'));
        launcher.addEventListener('click', () => (isOpen() ? api.close() : api.open()));
        element.classList.add('atende-with-launcher');
        document.body.append(launcher);
      }
      document.body.append(element);
      window.addEventListener('message', onMessage);
    },
    open(openOptions) {
      if (!frame) {
        console.error('Atende.open: call Atende.init first');
        return;
      }
      if (!isOpen()) {
        const active = document.activeElement;
        opener = active instanceof HTMLElement && active !== document.body ? active : null;
        frame.classList.add(openClass);
        launcher?.setAttribute('aria-expanded', 'true');
      }
      frame.focus();
      const documentRef = documentRefFrom(openOptions?.documentRef);
      post({ type: 'atende:open', ...(documentRef ? { documentRef } : {}) });
    },
    close() {
      post({ type: 'atende:close' });
      hide();
    },
    on(event, listener) {
      const set = listeners[event] as Set<typeof listener> | undefined;
      if (!set || typeof listener !== 'function') return () => {};
      set.add(listener);
      return () => set.delete(listener);
    },
  };
  return api;
}

window.Atende ??= create();
