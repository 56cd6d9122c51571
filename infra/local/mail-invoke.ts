// SES invokes two functions asynchronously (InvocationType Event): the bounce and complaint events of the
// configuration set (through EventBridge) and the receipt rule's Lambda action. Locally the mail stand-ins
// live in the stack's process (ses-events.ts, smtp.ts) while the functions run in the gateway's, so the
// invocation crosses over the gateway's IPC channel: the stack sends the event, the gateway runs the
// function as Lambda would and, like Lambda's async invoke, answers nothing (a failure is reported).
import type { ChildProcess } from 'node:child_process';
import { mailFunctions } from '../routes.js';
import { invoke } from './lambda.js';

export type MailFunction = keyof typeof mailFunctions;

interface InvokeMessage {
  kind: 'invoke';
  function: MailFunction;
  event: unknown;
}

/** Lambda's limit for an asynchronous invocation; SES and EventBridge never send more than this. */
const asyncTimeoutMs = 60_000;

/** The stack's side: sends `event` to the gateway, which runs the function. */
export function mailInvoker(gateway: ChildProcess): (name: MailFunction, event: unknown) => void {
  return (name, event) => {
    if (gateway.connected) gateway.send({ kind: 'invoke', function: name, event } satisfies InvokeMessage);
  };
}

/** The gateway's side: runs the functions the stack asks for. */
export function runMailInvocations(channel: NodeJS.Process, root: string): void {
  channel.on('message', (message: Partial<InvokeMessage>) => {
    if (message?.kind !== 'invoke' || !message.function || !Object.hasOwn(mailFunctions, message.function)) return;
    const { handler } = mailFunctions[message.function];
    invoke({ root, file: handler, timeoutMs: asyncTimeoutMs }, message.event).catch((error) =>
      console.error(`async invocation of ${handler} failed: ${(error as Error).stack ?? error}`),
    );
  });
}
