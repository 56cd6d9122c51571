import * as z from '../zod.js';

/** What a ticket is about; the web app shows the label in the reader's language. */
export const topics = [
  { id: 'portal_access', label: { 'pt-BR': 'Acesso ao portal', en: 'Portal access' } },
  { id: 'fiscal_document', label: { 'pt-BR': 'Documento fiscal', en: 'Fiscal document' } },
  { id: 'integration', label: { 'pt-BR': 'Integração', en: 'Integration' } },
  { id: 'billing', label: { 'pt-BR': 'Cobrança e faturamento', en: 'Billing' } },
  { id: 'usage', label: { 'pt-BR': 'Uso da plataforma', en: 'Using the platform' } },
  { id: 'other', label: { 'pt-BR': 'Outro assunto', en: 'Something else' } },
] as const;

export type TopicId = (typeof topics)[number]['id'];

export const topicIds = topics.map((t) => t.id) as [TopicId, ...TopicId[]];

export const Topic = z.enum(topicIds);

/** A ticket with this topic asks for portal access, which an agent grants (`POST /tickets/{id}/grant-access`). */
export const accessRequestTopic: TopicId = 'portal_access';
