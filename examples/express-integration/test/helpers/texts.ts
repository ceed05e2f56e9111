import { SHOP_NAME } from './harness.js';

/** The default SMS texts of the SDK's config, filled in for the test shop. */
export const smsText = {
  answered: (name: string) => `${name}, спасибо! Ваш заказ в «${SHOP_NAME}» подтверждён.`,
  machine: (name: string) => `${name}, мы звонили из «${SHOP_NAME}» по вашему заказу: он принят.`,
  night: (name: string) => `${name}, заказ в «${SHOP_NAME}» принят. Мы позвоним вам в рабочее время.`,
};
