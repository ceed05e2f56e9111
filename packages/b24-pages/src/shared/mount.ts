import './main.css';
import b24UiPlugin from '@bitrix24/b24ui-nuxt/vue-plugin';
import { type Component, createApp } from 'vue';

/** Each page is its own app: the kit's plugin, no router (the portal opens each page by its URL). */
export function mountPage(page: Component): void {
  createApp(page).use(b24UiPlugin).mount('#app');
}
