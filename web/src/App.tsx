import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import {
  agents,
  hasRole,
  isAgentRole,
  isStaffRole,
  reportReaders,
  staff,
  ticketOpeners,
} from '../../shared/domain/roles.js';
import type { Role } from './api/types.js';
import { ChatWidget } from './chat/ChatWidget.js';
import { languages, setLang, t, useLang } from './i18n/index.js';
import { AdminPage } from './pages/Admin.js';
import { AgentPage } from './pages/Agent.js';
import { AcceptInvitePage, ForgotPasswordPage, LoginPage, ResetPasswordPage } from './pages/auth.js';
import { homeFor } from './pages/home.js';
import { NewTicketPage } from './pages/NewTicket.js';
import { ProfilePage } from './pages/Profile.js';
import { RatePage } from './pages/Rate.js';
import { ReportsPage } from './pages/Reports.js';
import { StaffPage } from './pages/Staff.js';
import { TicketListPage } from './pages/TicketList.js';
import { TicketPage } from './pages/TicketPage.js';
import { realtime } from './realtime.js';
import { currentTarget, Link, locationStore, matchPath, navigate, useLocation } from './router.js';
import { endStore, logout, logoutEverywhere, type Session, useSession } from './session.js';
import { Alert, Button, Page, pageFocus, useSubmit } from './ui/common.js';

interface Route {
  path: string;
  /** Who may open it: everyone (`public`), anyone signed in (`signedIn`) or these roles. */
  who: 'public' | 'signedIn' | readonly Role[];
  view: (params: Record<string, string>) => ComponentChildren;
}

const routes: Route[] = [
  { path: '/login', who: 'public', view: () => <LoginPage /> },
  { path: '/accept-invite', who: 'public', view: () => <AcceptInvitePage /> },
  { path: '/forgot-password', who: 'public', view: () => <ForgotPasswordPage /> },
  { path: '/reset-password', who: 'public', view: () => <ResetPasswordPage /> },
  { path: '/tickets', who: 'signedIn', view: () => <TicketListPage /> },
  { path: '/tickets/new', who: ticketOpeners, view: () => <NewTicketPage /> },
  { path: '/tickets/:id', who: 'signedIn', view: (p) => <TicketPage key={p.id} id={p.id ?? ''} /> },
  { path: '/agent', who: agents, view: () => <AgentPage /> },
  { path: '/admin', who: agents, view: () => <AdminPage /> },
  { path: '/staff', who: staff, view: () => <StaffPage /> },
  { path: '/profile', who: 'signedIn', view: () => <ProfilePage /> },
  { path: '/reports', who: reportReaders, view: () => <ReportsPage /> },
  // The resolution e-mail's one-click rating: its token stands for the sign-in.
  { path: '/rate', who: 'public', view: () => <RatePage /> },
];

locationStore.subscribe(() => {
  pageFocus.navigated = true;
});

function allowed(route: Route, session: Session | null): boolean {
  if (route.who === 'public') return true;
  if (!session) return false;
  return route.who === 'signedIn' || route.who.includes(session.user.role);
}

export function App() {
  useLang();
  const session = useSession();
  const location = useLocation();
  const signedIn = session !== null;

  useEffect(() => {
    if (signedIn) realtime.start();
    else realtime.stop();
  }, [signedIn, session?.user.id]);

  // A session that ends by itself (refresh refused) sends the person to login and back here afterwards;
  // what they typed is in the drafts.
  useEffect(
    () =>
      endStore.subscribe((end) => {
        if (!end) return;
        if (end.reason === 'logout') navigate('/login');
        else if (end.reason === 'everywhere') navigate('/login?signed_out=everywhere');
        else if (!locationStore.get().path.startsWith('/login')) {
          navigate(`/login?expired=1&next=${encodeURIComponent(currentTarget())}`);
        }
      }),
    [],
  );

  let content: ComponentChildren;
  const route = routes
    .map((r) => ({ route: r, params: matchPath(r.path, location.path) }))
    .find((m) => m.params !== null);
  if (location.path === '/') {
    content = <Redirect to={session ? homeFor(session.user) : '/login'} />;
  } else if (!route) {
    content = (
      <Page title={t('notFound.title')}>
        <p>{t('notFound.text')}</p>
        <Link href="/">{t('notFound.home')}</Link>
      </Page>
    );
  } else if (allowed(route.route, session)) {
    content = route.route.view(route.params ?? {});
  } else if (!session) {
    content = <Redirect to={`/login?next=${encodeURIComponent(currentTarget())}`} />;
  } else {
    content = (
      <Page title={t('forbidden.title')}>
        <p>{t('forbidden.text')}</p>
        <Link href={homeFor(session.user)}>{t('notFound.home')}</Link>
      </Page>
    );
  }

  return (
    <>
      <a class="skip-link" href="#main">
        {t('layout.skip')}
      </a>
      <Header session={session} path={location.path} />
      <main id="main" tabIndex={-1}>
        {content}
      </main>
      {/* Staff answer chats from the console; the widget is for the people asking. */}
      {session && isStaffRole(session.user.role) ? null : <ChatWidget />}
    </>
  );
}

function Redirect(props: { to: string }) {
  useEffect(() => navigate(props.to, { replace: true }), [props.to]);
  return null;
}

function Header(props: { session: Session | null; path: string }) {
  const lang = useLang();
  const user = props.session?.user;
  const links: { href: string; label: string }[] = [];
  if (user) {
    if (isAgentRole(user.role)) links.push({ href: '/agent', label: t('nav.console') });
    links.push({ href: '/tickets', label: isStaffRole(user.role) ? t('nav.tickets') : t('tickets.title') });
    if (hasRole(ticketOpeners, user.role)) {
      links.push({ href: '/tickets/new', label: t('tickets.new') });
    }
    if (isAgentRole(user.role)) links.push({ href: '/admin', label: t('nav.admin') });
    if (isStaffRole(user.role)) links.push({ href: '/staff', label: t('nav.staff') });
    if (hasRole(reportReaders, user.role)) links.push({ href: '/reports', label: t('nav.reports') });
  }
  const current = (href: string) =>
    props.path === href || (href === '/tickets' && /^\/tickets\/(?!new)/.test(props.path));
  return (
    <header class="top">
      <Link href="/" class="brand">
        Atende
      </Link>
      {links.length > 0 ? (
        <nav aria-label={t('nav.main')}>
          <ul>
            {links.map((link) => (
              <li key={link.href}>
                <Link href={link.href} aria-current={current(link.href) ? 'page' : undefined}>
                  {link.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <div class="top-end">
        <label class="visually-hidden" for="lang">
          {t('layout.language')}
        </label>
        <select id="lang" value={lang} onChange={(e) => setLang(e.currentTarget.value as typeof lang)}>
          {languages.map((l) => (
            <option key={l.id} value={l.id} lang={l.id}>
              {l.label}
            </option>
          ))}
        </select>
        {user ? (
          <PersonMenu name={user.name} role={user.role} />
        ) : props.path !== '/login' ? (
          <Link href="/login">{t('login.submit')}</Link>
        ) : null}
      </div>
    </header>
  );
}

/**
 * The signed-in person's menu (a disclosure button with their name): their profile, signing out here and
 * everywhere. Escape or a click elsewhere closes it; Escape gives the keyboard back to the button.
 */
function PersonMenu(props: { name: string; role: Role }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  // A failure stays on the menu: the other devices are still signed in, and this one too.
  const { busy, error, submit } = useSubmit();

  // A layout effect, so the listeners are in place when the open menu is painted: a plain effect runs a frame
  // later, and an Escape pressed as soon as the menu shows was lost.
  useLayoutEffect(() => {
    if (!open) return;
    const outside = (event: Event) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onEscape = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      if (root.current?.contains(document.activeElement)) button.current?.focus();
    };
    document.addEventListener('pointerdown', outside);
    document.addEventListener('focusin', outside);
    document.addEventListener('keydown', onEscape);
    return () => {
      document.removeEventListener('pointerdown', outside);
      document.removeEventListener('focusin', outside);
      document.removeEventListener('keydown', onEscape);
    };
  }, [open]);

  return (
    <div ref={root} class="person-menu">
      <button
        ref={button}
        type="button"
        class="btn btn-link who"
        aria-expanded={open ? 'true' : 'false'}
        aria-controls="person-menu"
        onClick={() => setOpen(!open)}
      >
        {props.name}
        <span class="visually-hidden"> ({t(`role.${props.role}`)})</span>
      </button>
      <ul id="person-menu" class="person-menu-list card" hidden={!open}>
        <li>
          <Link href="/profile" onClick={() => setOpen(false)}>
            {t('nav.profile')}
          </Link>
        </li>
        <li>
          <Button kind="link" onClick={() => void logout()}>
            {t('layout.logout')}
          </Button>
        </li>
        <li>
          <Button kind="link" busy={busy} onClick={() => void submit(logoutEverywhere)}>
            {t('layout.logout_everywhere')}
          </Button>
        </li>
        {error ? (
          <li>
            <Alert focus>{error}</Alert>
          </li>
        ) : null}
      </ul>
    </div>
  );
}
