import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

// A real SMTP server for tests (smtp-server + mailparser). A message counts as delivered only
// when the server answered 250 to a client that was still connected, as in SMTP itself.

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  deliveryKey: string;
  attachments: { filename?: string; contentType: string; content: string }[];
  parsed: ParsedMail;
}

export interface TestSmtp {
  port: number;
  url: string;
  received: ReceivedMail[];
  /** Addresses answered with 550 (a permanent failure). */
  rejectRecipients: Set<string>;
  /** Messages for these addresses are answered with 451 (temporary) this many more times. */
  deferRecipients: Map<string, number>;
  /** Called when DATA arrives, before answering; may hold the answer back. */
  beforeAccept: ((count: number) => Promise<void>) | null;
  /** Runs before a recipient is answered (with the SMTP session's id); throwing refuses it. Lets a test hold a client mid-SMTP. */
  beforeRcpt: ((sessionId: string) => Promise<void>) | null;
  close(): Promise<void>;
}

export async function startTestSmtp(): Promise<TestSmtp> {
  const closedSessions = new Set<string>();
  const state: TestSmtp = {
    port: 0,
    url: '',
    received: [],
    rejectRecipients: new Set(),
    deferRecipients: new Map(),
    beforeAccept: null,
    beforeRcpt: null,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  let dataCount = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    async onRcptTo(address, session, callback) {
      if (state.beforeRcpt) {
        try {
          await state.beforeRcpt(session.id);
        } catch (error) {
          return callback(error as Error);
        }
      }
      if (state.rejectRecipients.has(address.address)) {
        const err = new Error('mailbox unavailable') as Error & { responseCode: number };
        err.responseCode = 550;
        return callback(err);
      }
      callback();
    },
    onClose(session) {
      closedSessions.add(session.id);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        dataCount += 1;
        if (state.beforeAccept) await state.beforeAccept(dataCount);
        if (closedSessions.has(session.id)) return callback(new Error('client went away'));
        const deferred = session.envelope.rcptTo.find((r) => (state.deferRecipients.get(r.address) ?? 0) > 0);
        if (deferred) {
          state.deferRecipients.set(deferred.address, state.deferRecipients.get(deferred.address)! - 1);
          const err = new Error('try again later') as Error & { responseCode: number };
          err.responseCode = 451;
          return callback(err);
        }
        const parsed = await simpleParser(Buffer.concat(chunks));
        state.received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: parsed.subject ?? '',
          text: parsed.text ?? '',
          html: typeof parsed.html === 'string' ? parsed.html : '',
          deliveryKey: String(parsed.headers.get('x-convene-delivery') ?? ''),
          attachments: parsed.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content.toString('utf8') })),
          parsed,
        });
        callback();
      });
    },
  });
  // A client killed mid-session (the crash test) resets its connection; smtp-server reports that
  // as an 'error' event, which would otherwise be thrown as uncaught and fail the whole suite.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.server.address();
  state.port = typeof address === 'object' && address ? address.port : 0;
  state.url = `smtp://127.0.0.1:${state.port}`;
  return state;
}
