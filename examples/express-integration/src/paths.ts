/** The shop's routes that other programs call: the order form's backend and the voice provider. */
export const ORDER_PATH = '/api/orders';
export const VOICE_CALLBACK_PATH = '/voice/callback';
