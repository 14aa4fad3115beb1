import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** The longest SQS keeps a message: time for a person to look before anything is lost. */
const DEAD_LETTER_RETENTION = Duration.days(14);

/**
 * A dead-letter queue: encrypted, TLS only, keeping messages as long as SQS
 * allows. Every DLQ of the system raises the "DLQ not empty" alarm.
 */
export const createDeadLetterQueue = (scope: Construct, id: string): sqs.Queue =>
  new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: DEAD_LETTER_RETENTION,
  });
