import config from '../config.js';
import { createMailer } from './mailer.js';
import { createPaymentGateway } from './paymentGateway.js';

let clients;

/** Clients are process-wide singletons; tests call createClients with a stub config. */
export function createClients(cfg = config) {
  return {
    gateway: createPaymentGateway(cfg.gateway),
    mailer: createMailer(cfg.mail),
  };
}

export function getClients() {
  clients ??= createClients();
  return clients;
}
