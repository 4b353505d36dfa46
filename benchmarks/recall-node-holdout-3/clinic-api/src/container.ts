type Factory<T> = (c: Container) => T;

/**
 * Tiny service locator: registrations are lazy singletons, resolved on first use.
 * We only need a handful of services, so a full DI framework is not worth it.
 */
export class Container {
  private readonly factories = new Map<string, Factory<unknown>>();
  private readonly instances = new Map<string, unknown>();

  register<T>(token: string, factory: Factory<T>): this {
    if (this.factories.has(token)) {
      throw new Error(`Token ${token} registered twice`);
    }
    this.factories.set(token, factory);
    return this;
  }

  resolve<T>(token: string): T {
    if (this.instances.has(token)) {
      return this.instances.get(token) as T;
    }
    const factory = this.factories.get(token);
    if (!factory) {
      throw new Error(`Nothing registered for ${token}`);
    }
    const instance = factory(this);
    this.instances.set(token, instance);
    return instance as T;
  }
}

export const TOKENS = {
  dataSource: 'dataSource',
  httpFactory: 'httpFactory',
  insurance: 'insuranceClient',
  payments: 'paymentGateway',
  sms: 'smsClient',
  patientRepo: 'patientRepository',
  authService: 'authService',
  patientService: 'patientService',
  appointmentService: 'appointmentService',
  billingService: 'billingService',
  documentService: 'documentService',
  reminderQueue: 'reminderQueue',
} as const;
