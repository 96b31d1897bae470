// QR code PNG for an otpauth:// URI (what CreateVirtualMFADevice returns as QRCodePNG).
import QRCode from 'qrcode';

// Error correction M (15 %) is what authenticator apps scan reliably; 5 px per module with the
// standard 4-module quiet zone gives about 300 px for a 64-character AWS seed.
export const QR_OPTIONS = Object.freeze({ type: 'png', errorCorrectionLevel: 'M', margin: 4, scale: 5 } as const);

/** A PNG image encoding `uri`. */
export function qrPng(uri: string): Promise<Buffer> {
  if (typeof uri !== 'string' || uri === '') return Promise.reject(new TypeError('uri must be a non-empty string'));
  return QRCode.toBuffer(uri, { ...QR_OPTIONS });
}
