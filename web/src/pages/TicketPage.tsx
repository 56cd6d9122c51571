import { useState } from 'preact/hooks';
import { isStaffRole } from '../../../shared/domain/roles.js';
import { t } from '../i18n/index.js';
import { Link, useLocation } from '../router.js';
import { useSession } from '../session.js';
import { Alert, Page } from '../ui/common.js';
import { TicketView } from './TicketView.js';

export function TicketPage(props: { id: string }) {
  const { query } = useLocation();
  const session = useSession();
  const staff = session ? isStaffRole(session.user.role) : false;
  const [title, setTitle] = useState(t('ticket.title'));
  return (
    <Page title={title}>
      <p>
        <Link href="/tickets">← {staff ? t('nav.tickets') : t('ticket.back')}</Link>
      </p>
      {query.get('created') ? <Alert kind="success">{t('ticket.created')}</Alert> : null}
      <TicketView ticketId={props.id} onTitle={setTitle} />
    </Page>
  );
}
