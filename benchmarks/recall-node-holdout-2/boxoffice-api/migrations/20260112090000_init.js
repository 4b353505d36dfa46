'use strict';

exports.up = async function up(knex) {
  await knex.schema.createTable('users', (t) => {
    t.increments('id');
    t.string('email', 320).notNullable().unique();
    t.string('password_hash', 100).notNullable();
    t.string('display_name', 120);
    t.string('phone', 32);
    t.string('role', 16).notNullable().defaultTo('customer');
    t.boolean('email_verified').notNullable().defaultTo(false);
    t.string('payout_account_id', 64);
    t.string('reset_token_hash', 64).index();
    t.timestamp('reset_token_expires_at');
    t.timestamps(true, true);
  });

  await knex.schema.createTable('venues', (t) => {
    t.increments('id');
    t.integer('owner_id').notNullable().references('users.id').index();
    t.string('name', 200).notNullable();
    t.string('address', 400).notNullable();
    t.decimal('lat', 9, 6);
    t.decimal('lng', 9, 6);
    t.integer('capacity').notNullable();
    t.timestamps(true, true);
  });

  await knex.schema.createTable('events', (t) => {
    t.increments('id');
    t.integer('organizer_id').notNullable().references('users.id').index();
    t.integer('venue_id').notNullable().references('venues.id');
    t.string('title', 200).notNullable();
    t.text('description');
    t.string('status', 16).notNullable().defaultTo('draft');
    t.timestamp('starts_at').notNullable().index();
    t.integer('price_cents').notNullable();
    t.string('currency', 3).notNullable().defaultTo('EUR');
    t.integer('capacity').notNullable();
    t.integer('remaining').notNullable();
    t.string('cover_path', 300);
    t.timestamps(true, true);
  });

  await knex.schema.createTable('promo_codes', (t) => {
    t.increments('id');
    t.integer('event_id').notNullable().references('events.id');
    t.string('code', 32).notNullable();
    t.integer('percent_off').notNullable();
    t.integer('max_uses').notNullable();
    t.integer('uses').notNullable().defaultTo(0);
    t.unique(['event_id', 'code']);
  });

  await knex.schema.createTable('orders', (t) => {
    t.increments('id');
    t.integer('user_id').notNullable().references('users.id').index();
    t.integer('event_id').notNullable().references('events.id').index();
    t.integer('quantity').notNullable();
    t.integer('total_cents').notNullable();
    t.string('currency', 3).notNullable();
    t.string('status', 16).notNullable().defaultTo('pending');
    t.string('charge_id', 64).unique();
    t.integer('promo_code_id').references('promo_codes.id');
    t.timestamp('hold_expires_at').index();
    t.timestamps(true, true);
  });

  await knex.schema.createTable('tickets', (t) => {
    t.increments('id');
    t.integer('order_id').notNullable().references('orders.id').index();
    t.integer('event_id').notNullable().references('events.id').index();
    t.integer('owner_id').notNullable().references('users.id').index();
    t.string('code', 32).notNullable().unique();
    t.string('status', 16).notNullable().defaultTo('valid');
    t.timestamp('scanned_at');
    t.timestamps(true, true);
  });

  await knex.schema.createTable('payouts', (t) => {
    t.increments('id');
    t.integer('event_id').notNullable().references('events.id').unique();
    t.integer('amount_cents').notNullable();
    t.string('status', 16).notNullable().defaultTo('queued');
    t.string('provider_ref', 64);
    t.timestamps(true, true);
  });

  await knex.schema.createTable('payment_callbacks', (t) => {
    t.string('provider_event_id', 64).primary();
    t.string('type', 64).notNullable();
    t.jsonb('payload').notNullable();
    t.timestamp('received_at').notNullable().defaultTo(knex.fn.now());
  });
};

exports.down = async function down(knex) {
  for (const table of ['payment_callbacks', 'payouts', 'tickets', 'orders', 'promo_codes', 'events', 'venues', 'users']) {
    // eslint-disable-next-line no-await-in-loop
    await knex.schema.dropTableIfExists(table);
  }
};
