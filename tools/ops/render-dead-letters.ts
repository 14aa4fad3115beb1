import type { DeadLetter, DeadLetterListing, MoveSummary } from './dead-letters.ts';
import { formatTable } from './text-table.ts';

export const renderDeadLetters = (listing: DeadLetterListing): string => {
  if (listing.letters.length === 0) {
    return listing.approximateCount === 0
      ? 'the purchase dead-letter queue is empty\n'
      : `no dead letter could be received, though SQS reports about ${listing.approximateCount}: another reader holds them; try again shortly\n`;
  }
  const rows = listing.letters.map((letter) => [
    letter.purchaseId ?? '(not a purchase message)',
    String(letter.receiveCount ?? '?'),
    letter.sentAt?.toISOString() ?? '?',
    letter.messageId,
  ]);
  const more = listing.approximateCount > listing.letters.length ? `, about ${listing.approximateCount} in the queue` : '';
  return [
    ...formatTable([['PURCHASE', 'RECEIVES', 'FIRST SENT (UTC)', 'MESSAGE ID'], ...rows]),
    `${listing.letters.length} dead letter(s) listed${more}; none consumed (receive counts include this listing's own receive)`,
    '',
  ].join('\n');
};

export const renderMoved = (letter: DeadLetter, moved: number): string =>
  `moved ${String(moved).padStart(4)}  ${letter.purchaseId ?? letter.messageId}\n`;

export const renderMoveSummary = (summary: MoveSummary): string =>
  `moved ${summary.moved} message(s) back to the purchase queue` +
  (summary.returned ? `; stopped at ${summary.returned} that failed again and came back to the dead-letter queue: inspect them before moving them again` : '') +
  '\n';
