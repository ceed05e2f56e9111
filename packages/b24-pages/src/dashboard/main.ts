import { mountPage } from '../shared/mount.js';
import DashboardPage from './DashboardPage.vue';

mountPage(DashboardPage);
