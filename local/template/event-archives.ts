import { z } from 'zod';
import { eventArchiveArn, eventBusNameOf, parseArn } from '#local/arns';
import type { LocalArchive } from './local-app.ts';
import { eventPatternSchema } from './event-rules.ts';
import { readProperties, requireServable, type PropertyPolicy, type ResourceView } from './resource-support.ts';

/** AWS::Events::Archive -> LocalArchive: which bus it records, which events, and for how long. */

const ARCHIVE_POLICY: PropertyPolicy = {
  served: ['ArchiveName', 'SourceArn', 'EventPattern', 'RetentionDays'],
  ignored: {
    Description: 'descriptions have no behaviour',
    KmsKeyIdentifier: 'the local archive is not encrypted at rest',
  },
};

const archivePropertiesSchema = z.object({
  ArchiveName: z.string().min(1).max(48).optional(),
  SourceArn: z.string().min(1),
  EventPattern: eventPatternSchema.optional(),
  RetentionDays: z.coerce.number().int().nonnegative().optional(),
});

export const EVENT_ARCHIVE_TYPES = ['AWS::Events::Archive'] as const;

export const mapEventArchive = (resource: ResourceView): LocalArchive => {
  const properties = readProperties(resource, ARCHIVE_POLICY, archivePropertiesSchema);
  const source = parseArn(properties.SourceArn);
  requireServable(resource, 'SourceArn', source?.service === 'events' && source.resource.startsWith('event-bus/'), 'an archive records an event bus, given by its ARN');
  const name = properties.ArchiveName ?? resource.logicalId;
  return {
    logicalId: resource.logicalId,
    name,
    arn: eventArchiveArn(name),
    eventBusName: eventBusNameOf(properties.SourceArn),
    eventBusArn: properties.SourceArn,
    ...(properties.EventPattern ? { eventPattern: properties.EventPattern } : {}),
    retentionDays: properties.RetentionDays ?? 0,
  };
};
