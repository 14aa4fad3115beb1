import { EVENT_SOURCES } from '#events/event-definition';
import type { BoundedContext } from './model.ts';

/**
 * The declared part of the map: which domain/ folders and which event source
 * belong to each bounded context. Everything else (which handler is in which
 * context, what it publishes and consumes) is derived from the code and
 * checked against these declarations.
 */
export const CONTEXTS: ReadonlyArray<{ readonly name: BoundedContext; readonly eventSource: string; readonly domainFolders: readonly string[] }> = [
  { name: 'Orders', eventSource: EVENT_SOURCES.orders, domainFolders: ['orders'] },
  // The concert catalog and the seat map read model are the inventory's read side.
  { name: 'Inventory', eventSource: EVENT_SOURCES.inventory, domainFolders: ['inventory', 'catalog'] },
  { name: 'Billing', eventSource: EVENT_SOURCES.billing, domainFolders: ['billing'] },
  { name: 'Invoicing', eventSource: EVENT_SOURCES.invoicing, domainFolders: ['invoicing'] },
  // The line in front of a gated on-sale, and the admissions create-purchase checks.
  { name: 'WaitingRoom', eventSource: EVENT_SOURCES.waitingRoom, domainFolders: ['waiting-room'] },
];

/**
 * Handlers whose own imports span contexts, with the one they belong to.
 * The generator refuses a declaration the imports do not support, and a
 * handler whose imports leave its context open without one.
 */
export const HANDLER_CONTEXTS: Readonly<Record<string, BoundedContext>> = {
  // Takes the order; it asks the waiting room whether the concert exists and whether this buyer was admitted.
  'create-purchase': 'Orders',
  // Admits buyers; it borrows only the orders' bounded concurrency helper for the draw's writes.
  'admit-buyers': 'WaitingRoom',
};

export const contextOfDomainFolder = (folder: string): BoundedContext | undefined =>
  CONTEXTS.find((context) => context.domainFolders.includes(folder))?.name;

export const contextOfEventSource = (source: string): BoundedContext | undefined =>
  CONTEXTS.find((context) => context.eventSource === source)?.name;
