import { mountPage } from '../shared/mount.js';
import LeadTabPage from './LeadTabPage.vue';

mountPage(LeadTabPage);
