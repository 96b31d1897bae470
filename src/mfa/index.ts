// Second factors: TOTP verification, brute-force throttling, enrolment URIs and QR codes,
// hardware-token seed imports, and the strategy each kind of device checks codes with. Pure functions; storage and
// HTTP live elsewhere.
export {
  DEFAULT_PARAMS,
  ALGORITHMS,
  DIGITS,
  PERIODS,
  SEED_BYTES,
  VERIFY_WINDOW,
  ENABLE_WINDOW_SECONDS,
  RESYNC_WINDOW_SECONDS,
  MAX_WINDOW,
  stepsForSeconds,
  normalizeParams,
  generateSeed,
  base32Encode,
  base32Decode,
  stepAt,
  codeAt,
  isWellFormedCode,
  verifyCode,
  verifyConsecutive,
} from './totp.js';
export type { TotpAlgorithm, TotpDigits, TotpPeriod, TotpParams, TotpParamsInput, VerifyResult, VerifyFailure, CodeCheck } from './totp.js';
export {
  FREE_FAILURES,
  BASE_LOCK_MS,
  MAX_LOCK_MS,
  MAX_CONSECUTIVE_FAILURES,
  YEAR_MS,
  POLICY as THROTTLE_POLICY,
  INITIAL_STATE as THROTTLE_INITIAL_STATE,
  isLocked,
  isDisabled,
  lockDurationMs,
  afterFailure,
  afterSuccess,
  maxGuesses,
  bruteForceOdds,
} from './throttle.js';
export type { ThrottlePolicy, ThrottleState } from './throttle.js';
export { totpStrategy, strategyFor, isMfaDeviceKind, deviceTypeOf, kindOfSerial } from './devices.js';
export type { MfaDeviceKind, MfaDeviceType, MfaStrategy, DeviceCodeState } from './devices.js';
export { otpauthUri } from './otpauth-uri.js';
export type { OtpauthUriOptions } from './otpauth-uri.js';
export { qrPng, QR_OPTIONS } from './qr.js';
export { parseCsv, decodeSeed } from './import/csv.js';
export { parsePskc, importPskc, PSKC_TOTP, PSKC_HOTP } from './import/pskc.js';
export type { PskcOptions, PskcKey } from './import/pskc.js';
export { TokenImportError, SERIAL_RE, MIN_SECRET_BYTES } from './import/common.js';
export type { HardwareToken, ImportProblem } from './import/common.js';
