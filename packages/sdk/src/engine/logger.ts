import { type Logger, type LoggerOptions, pino } from 'pino';
import { maskPhone } from '../phone/index.js';

export type { Logger };

export const EngineLogger = Symbol.for('prozvon.Logger');

const SECRET_KEYS = [
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'secret',
  'clientSecret',
  'password',
  'apiKey',
  'api_id',
  'privateKey',
  'authorization',
  'webhookUrl',
];

/**
 * JSON logs for the engine. Phones are masked wherever they appear under a `phone` key, and
 * anything that looks like a credential is removed, so a log line can be shared safely.
 */
export function createLogger(options: LoggerOptions = {}, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      name: 'prozvon',
      level: process.env.PROZVON_LOG_LEVEL ?? 'info',
      redact: {
        // Top level, one and two levels down: where a config or an error's request ends up.
        paths: SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
        censor: '[redacted]',
      },
      formatters: {
        log: (object) => ('phone' in object ? { ...object, phone: maskPhone(String(object.phone)) } : object),
      },
      ...options,
    },
    destination as pino.DestinationStream,
  );
}

/** A logger that writes nothing, for tests and benchmarks that do not look at logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
