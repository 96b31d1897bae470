// Outgoing mail (emailed one-time codes) through the SMTP server the configuration names (--smtp-url
// smtp://user:pass@host:port or smtps://…), with nodemailer. Nothing is sent when no SMTP server is configured.
import nodemailer from 'nodemailer';

export interface Mail { readonly to: string; readonly subject: string; readonly text: string }
export interface Mailer { send(mail: Mail): Promise<void>; close(): void }

export function smtpMailer(smtpUrl: string, from: string): Mailer {
  const url = new URL(smtpUrl);
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error(`--smtp-url must be smtp://… or smtps://…; got ${url.protocol}`);
  // A short timeout: a sign-in waits for the send, and must not hang on a dead server.
  const transport = nodemailer.createTransport({
    url: smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 15_000,
  });
  return {
    async send(mail) { await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text }); },
    close() { transport.close(); },
  };
}
