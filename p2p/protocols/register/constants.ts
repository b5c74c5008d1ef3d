// Names and limits of the register protocol (DESIGN §5 Admission).

export const REGISTER_PROTOCOL = "/coffre/register/1.0.0";
export const REGISTER_MESSAGE_VERSION = 1;
/** Domain label of node-signed records. */
export const NODE_RECORD_DOMAIN = "coffre/node-record/v1";
/** Listen addresses a record may list. */
export const MAX_RECORD_ADDRESSES = 16;
/** Longest multiaddr string accepted. */
export const MAX_ADDRESS_CHARS = 256;
/** Largest signed record body. */
export const MAX_RECORD_BYTES = 8_192;
/** Compressed secp256k1 public key length. */
export const ENCRYPTION_KEY_BYTES = 33;
export const REGISTER_TIMEOUT_MS = 10_000;
