/** Header names of the signed result POST; the scenario writes the same literal strings. */
export const CALL_HEADER = 'X-Prozvon-Call';
export const TIMESTAMP_HEADER = 'X-Prozvon-Timestamp';
export const SIGNATURE_HEADER = 'X-Prozvon-Signature';

/** The version tag in front of the hex MAC (`v1=<hex>`), so the scheme can change without ambiguity. */
export const SIGNATURE_VERSION = 'v1';

/** Bumped when a body's shape changes incompatibly; the scenario sends the same number. */
export const PROTOCOL_VERSION = 1;
