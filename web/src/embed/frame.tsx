// The /embed page: Atende's chat inside a host platform's page (docs/api.md, "The chat inside the host platform"), the
// same chat widget and realtime client as the web app's. It runs on Atende's origin, so the session, the API calls
// and the WebSocket (whose Origin check is unchanged) are Atende's own, and the host page never holds a token.
// It renders only for a page on a configured host origin (the CSP `frame-ancestors` of /embed already keeps the
// others from framing it; this is the same rule once more) and reads only that page's messages.
import { render } from 'preact';
import { useEffect } from 'preact/hooks';
import { ChatWidget, chatPanel, chatUnread } from '../chat/ChatWidget.js';
import { config, loadConfig } from '../config.js';
import { langStore, t, useLang } from '../i18n/index.js';
import { useStore } from '../lib/store.js';
import { realtime } from '../realtime.js';
import { endStore, sessionStore, useSession } from '../session.js';
import { Alert, Button } from '../ui/common.js';
import { documentRefFrom, type FrameMessage, messageFrom } from './protocol.js';
import { askHostWith, checkKeptSession, signIn, signInState, tokenArrived } from './sign-in.js';
import '../styles.css';

// The host says hello when the frame has loaded, perhaps before config.json (the allowed origins) is here.
const early: MessageEvent[] = [];
const keep = (event: MessageEvent) => {
  if (early.length < 20) early.push(event);
};
window.addEventListener('message', keep);
await loadConfig();
window.removeEventListener('message', keep);

let hostOrigin: string | undefined;
const toHost = (message: FrameMessage) => {
  if (hostOrigin) window.parent.postMessage(message, hostOrigin);
};

function receive(event: MessageEvent): void {
  const message = messageFrom(event, window.parent, config().embedOrigins);
  // One host per frame: once it has said hello, another allowed origin in the same page is not it.
  if (!message || (hostOrigin && event.origin !== hostOrigin)) return;
  if (message.type === 'atende:hello') {
    const first = !hostOrigin;
    hostOrigin = event.origin;
    if (message.locale === 'en' || message.locale === 'pt-BR') {
      langStore.set(message.locale);
      document.documentElement.lang = message.locale;
    }
    if (first) start();
    toHost({ type: 'atende:ready' });
    return;
  }
  if (!hostOrigin) return;
  if (message.type === 'atende:open') {
    chatPanel.set({ open: true, documentRef: documentRefFrom(message.documentRef) });
    if (!sessionStore.get() && signInState.get() !== 'signing-in') void signIn();
  } else if (message.type === 'atende:close') {
    chatPanel.set({ ...chatPanel.get(), open: false });
  } else if (message.type === 'atende:token') {
    tokenArrived(message.id, message.token);
  }
}

function start(): void {
  askHostWith((id) => toHost({ type: 'atende:token-request', id }));
  let wasOpen = chatPanel.get().open;
  chatPanel.subscribe((panel) => {
    if (wasOpen && !panel.open) toHost({ type: 'atende:closed' });
    wasOpen = panel.open;
  });
  chatUnread.subscribe((count) => toHost({ type: 'atende:unread', count }));
  realtime.on((frame) => {
    if (frame.type === 'chat.started')
      toHost({ type: 'atende:chat', ticketId: frame.ticket.id, number: frame.ticket.number });
  });
  // The refresh chain ended (not a sign-out): the host is asked again.
  endStore.subscribe((end) => {
    if (end?.reason === 'expired') void signIn();
  });
  void checkKeptSession();
  const root = document.getElementById('app');
  if (root) render(<EmbeddedChat />, root);
}

function EmbeddedChat() {
  useLang();
  const session = useSession();
  const signedIn = session !== null;
  useEffect(() => {
    if (signedIn) realtime.start();
    else realtime.stop();
  }, [signedIn, session?.user.id]);
  return <ChatWidget embedded={{ signedOut: <SigningIn /> }} />;
}

function SigningIn() {
  const state = useStore(signInState);
  if (state !== 'failed') return <p role="status">{t('embed.signing_in')}</p>;
  return (
    <>
      <Alert>{t('embed.sign_in_failed')}</Alert>
      <Button kind="primary" onClick={() => void signIn()}>
        {t('embed.retry')}
      </Button>
    </>
  );
}

window.addEventListener('message', receive);
for (const event of early.splice(0)) receive(event);
// Opened by itself, not in a host's page: nothing to talk to.
if (window.parent === window) {
  const root = document.getElementById('app');
  if (root) root.textContent = t('embed.not_embedded');
}
