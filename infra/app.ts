import { createTicketingApp } from './ticketing-app.ts';

createTicketingApp().app.synth();
