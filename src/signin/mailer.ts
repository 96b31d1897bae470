// Outgoing mail (emailed one-time codes) through the SMTP server the configuration names (--smtp-url
// smtp://user:pass@host:port or smtps://…), with nodemailer. Nothing is sent when no SMTP server is configured.
import nodemailer from 'nodemailer';

export interface Mail { readonly to: string; readonly subject: string; readonly text: string }
export interface Mailer { send(mail: Mail): Promise<void>; close(): void }

/** Checks --smtp-url before anything starts; the message never repeats the URL (it may hold a password). */
export function checkSmtpUrl(smtpUrl: string): void {
  let url: URL;
  try { url = new URL(smtpUrl); } catch { throw new Error('--smtp-url is not a URL: give smtp://[user:password@]host:port or smtps://…'); }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error(`--smtp-url must be smtp://… or smtps://…; got ${url.protocol}`);
  if (!url.hostname) throw new Error('--smtp-url names no host: give smtp://[user:password@]host:port');
}

export function smtpMailer(smtpUrl: string, from: string): Mailer {
  checkSmtpUrl(smtpUrl);
  // A short timeout: a sign-in waits for the send, and must not hang on a dead server.
  const transport = nodemailer.createTransport({
    url: smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 15_000,
  });
  return {
    async send(mail) { await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text }); },
    close() { transport.close(); },
  };
}
