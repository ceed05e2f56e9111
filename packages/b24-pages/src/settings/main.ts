import { mountPage } from '../shared/mount.js';
import SettingsPage from './SettingsPage.vue';

mountPage(SettingsPage);
