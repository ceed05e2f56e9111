// The Bot API as the msw tests fake it: a bot's token (secret-looking, so a test can check it never
// leaks into an error), its sendMessage address, a private chat, and Telegram's answer to a send.

export const TOKEN = '123456:AAE-secret_token_do_not_leak';
export const SEND_MESSAGE = `https://api.telegram.org/bot${TOKEN}/sendMessage`;
export const CHAT = 100200300;

/** sendMessage's answer: the message sent to `chatId`. */
export const sent = (chatId: number | string, messageId = 1) => ({
  ok: true,
  result: { message_id: messageId, date: 1, chat: { id: chatId, type: 'private' }, text: 'x' },
});
