// The part of the qrcode package Gatehouse uses (the package ships no types).
declare module 'qrcode' {
  interface ToBufferOptions {
    readonly type?: 'png';
    readonly errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H';
    readonly margin?: number;
    readonly scale?: number;
  }
  function toBuffer(text: string, options?: ToBufferOptions): Promise<Buffer>;
  const QRCode: { toBuffer: typeof toBuffer };
  export default QRCode;
}
