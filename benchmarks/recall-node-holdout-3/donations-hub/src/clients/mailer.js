import { fetch } from 'undici';
import logger from '../logger.js';
import { escapeHtml } from '../util/html.js';

export function createMailer({ apiUrl, apiKey, from }) {
  async function send({ to, subject, html, attachments }) {
    const res = await fetch(apiUrl, {
      method: 'POST',
      headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ from, to, subject, html, attachments }),
    });
    if (!res.ok) {
      const text = await res.text();
      throw new Error(`mail API responded ${res.status}: ${text.slice(0, 200)}`);
    }
    const { id } = await res.json();
    logger.debug({ messageId: id, subject }, 'mail queued');
    return id;
  }

  return {
    send,
    sendReceipt(to, { campaignTitle, amountLabel, receiptUrl }) {
      return send({
        to,
        subject: `Thank you for supporting ${campaignTitle}`,
        html: `<p>Your gift of ${escapeHtml(amountLabel)} to ${escapeHtml(campaignTitle)} was received.</p>
          <p><a href="${escapeHtml(receiptUrl)}">Download your receipt</a></p>`,
      });
    },
    sendPasswordReset(to, resetUrl) {
      return send({ to, subject: 'Reset your password', html: `<p><a href="${escapeHtml(resetUrl)}">Choose a new password</a></p>` });
    },
  };
}
