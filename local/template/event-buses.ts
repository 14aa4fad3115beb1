import { z } from 'zod';
import { eventBusArn } from '#local/arns';
import type { LocalEventBus } from './local-app.ts';
import { readProperties, type PropertyPolicy, type ResourceView } from './resource-support.ts';

/** AWS::Events::EventBus -> LocalEventBus. Custom buses only: partner event sources need a SaaS partner. */

const BUS_POLICY: PropertyPolicy = {
  served: ['Name'],
  ignored: {
    Description: 'descriptions have no behaviour',
    Tags: 'tags have no behaviour',
    KmsKeyIdentifier: 'local events are not encrypted at rest',
    DeadLetterConfig: 'the bus-level DLQ receives events the bus cannot decrypt, which cannot happen unencrypted',
    LogConfig: 'there is no CloudWatch locally',
    Policy: 'the local runtime does not enforce IAM',
  },
  unsupported: {
    EventSourceName: 'partner event buses need a SaaS partner',
  },
};

const busPropertiesSchema = z.object({ Name: z.string().min(1).max(256).optional() });

export const EVENT_BUS_TYPES = ['AWS::Events::EventBus'] as const;

export const mapEventBus = (resource: ResourceView): LocalEventBus => {
  const properties = readProperties(resource, BUS_POLICY, busPropertiesSchema);
  const name = properties.Name ?? resource.logicalId;
  return { logicalId: resource.logicalId, name, arn: eventBusArn(name) };
};
