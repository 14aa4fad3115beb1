import type { Trigger } from './model.ts';

/** What runs a handler, in words: the page's tables, the console's graph and its handler table all show this text. */
export const describeTrigger = (trigger: Trigger): string => {
  switch (trigger.kind) {
    case 'http':
      return trigger.route;
    case 'queue':
      return `queue ${trigger.queue}`;
    case 'state':
      return `state ${trigger.state} (${trigger.role})`;
    case 'rule':
      return `rule ${trigger.rule}`;
    case 'schedule':
      return `schedule ${trigger.schedule}`;
  }
};
