import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JOURNAL_FILE, MessageJournal, type JournaledMessage } from '#local/sqs/message-journal';

const message = (messageId: string, body = `body of ${messageId}`): JournaledMessage => ({
  messageId,
  body,
  md5OfBody: 'md5',
  messageAttributes: {},
  md5OfMessageAttributes: '',
  sentTimestamp: 1_772_000_000_000,
  approximateReceiveCount: 0,
});

describe('the SQS message journal', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sqs-journal-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** Writes with one journal, then opens the folder again as a restart would. */
  const reopenAfter = (write: (journal: MessageJournal) => void) => {
    const journal = MessageJournal.open(dir);
    write(journal);
    journal.close();
    return MessageJournal.open(dir);
  };

  it('keeps the messages sent and not deleted, in their queues', () => {
    // Act
    const reopened = reopenAfter((journal) => {
      journal.put('purchases', message('m-1'));
      journal.put('purchases', message('m-2'));
      journal.deleted('purchases', 'm-1');
    });

    // Assess
    expect(reopened.messages()).toEqual([{ queue: 'purchases', message: message('m-2') }]);
  });

  it('keeps the receive count of a message received and not deleted', () => {
    // Act
    const reopened = reopenAfter((journal) => {
      journal.put('purchases', message('m-1'));
      journal.received('purchases', ['m-1']);
      journal.received('purchases', ['m-1']);
    });

    // Assess
    expect(reopened.messages()[0]?.message.approximateReceiveCount).toBe(2);
  });

  it('keeps a message moved to the dead-letter queue in that queue only', () => {
    // Act
    const reopened = reopenAfter((journal) => {
      journal.put('purchases', message('m-1'));
      journal.put('purchases-dlq', { ...message('m-1'), approximateReceiveCount: 4 });
    });

    // Assess
    expect(reopened.messages()).toEqual([{ queue: 'purchases-dlq', message: { ...message('m-1'), approximateReceiveCount: 4 } }]);
  });

  it('ignores a delete for the same message id in another queue', () => {
    // Act
    const reopened = reopenAfter((journal) => {
      journal.put('purchases-dlq', message('m-1'));
      journal.deleted('purchases', 'm-1');
    });

    // Assess
    expect(reopened.messages().map((stored) => stored.queue)).toEqual(['purchases-dlq']);
  });

  it('forgets the messages of a purged queue', () => {
    // Act
    const reopened = reopenAfter((journal) => {
      journal.put('purchases', message('m-1'));
      journal.put('purchases-dlq', message('m-2'));
      journal.purged('purchases');
    });

    // Assess
    expect(reopened.messages().map((stored) => stored.message.messageId)).toEqual(['m-2']);
  });

  it('skips a last line cut short by a kill and reports it', () => {
    // Prepare
    const journal = MessageJournal.open(dir);
    journal.put('purchases', message('m-1'));
    journal.close();
    appendFileSync(join(dir, JOURNAL_FILE), '{"op":"put","queue":"purch');

    // Act
    const reopened = MessageJournal.open(dir);

    // Assess
    expect(reopened.messages()).toHaveLength(1);
    expect(reopened.unreadableLines).toBe(1);
  });

  it('rewrites the file at opening to hold only the live messages', () => {
    // Act
    reopenAfter((journal) => {
      for (const id of ['m-1', 'm-2', 'm-3']) journal.put('purchases', message(id));
      journal.deleted('purchases', 'm-1');
      journal.deleted('purchases', 'm-3');
    }).close();

    // Assess
    const lines = readFileSync(join(dir, JOURNAL_FILE), 'utf8').trim().split('\n');
    expect(lines.map((line) => JSON.parse(line))).toEqual([{ op: 'put', queue: 'purchases', message: message('m-2') }]);
  });
});
