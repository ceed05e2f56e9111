// Defaults of the Telegram simulator: a bot token of the real shape (`<bot id>:<35 characters>`),
// a seller's private chat and a sellers' supergroup. No real bot's.

export const TELEGRAM_TEST_BOT_ID = 7000000001;
export const TELEGRAM_TEST_TOKEN = `${TELEGRAM_TEST_BOT_ID}:AAEprozvonTestToken_0123456789abcde`;
export const TELEGRAM_TEST_BOT_USERNAME = 'prozvon_test_bot';
/** A seller who started the bot (private chat: positive id). */
export const TELEGRAM_TEST_CHAT_ID = 100200300;
/** The sellers' supergroup (`-100…`). */
export const TELEGRAM_TEST_GROUP_ID = -1001002003004;
