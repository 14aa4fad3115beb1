/** The end-to-end tests wait with the same poller as the tools that drive a runtime in a child process. */
export { pollUntil, PollTimeoutError, type PollOptions } from '#tools/lib/poll';
