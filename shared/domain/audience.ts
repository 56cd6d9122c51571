/**
 * Who something on a ticket is for: anyone who sees the ticket, or its staff alone. domain/visibility.ts
 * decides it for events; a file takes the audience of the event that carried it.
 */
export type Audience = 'everyone' | 'staff';
