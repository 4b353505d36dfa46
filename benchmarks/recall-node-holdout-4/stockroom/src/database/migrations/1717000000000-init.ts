import { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1717000000000 implements MigrationInterface {
  name = 'Init1717000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
    await queryRunner.query(`
      CREATE TABLE warehouses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        code varchar(16) NOT NULL,
        name varchar(120) NOT NULL,
        active boolean NOT NULL DEFAULT true,
        UNIQUE (tenant_id, code)
      )`);
    await queryRunner.query(`
      CREATE TABLE items (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        sku varchar(64) NOT NULL,
        name varchar(200) NOT NULL,
        description text,
        uom varchar(32) NOT NULL DEFAULT 'each',
        unit_cost_cents integer NOT NULL DEFAULT 0,
        reorder_point integer NOT NULL DEFAULT 0,
        reorder_qty integer NOT NULL DEFAULT 0,
        supplier_id uuid,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, sku)
      )`);
    await queryRunner.query(`
      CREATE TABLE stock_levels (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        warehouse_id uuid NOT NULL REFERENCES warehouses(id),
        item_id uuid NOT NULL REFERENCES items(id),
        on_hand integer NOT NULL DEFAULT 0,
        reserved integer NOT NULL DEFAULT 0,
        bin_location varchar(32),
        version integer NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (warehouse_id, item_id)
      )`);
    await queryRunner.query(`CREATE INDEX idx_stock_levels_item ON stock_levels (item_id)`);
    await queryRunner.query(`
      CREATE TABLE stock_movements (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        warehouse_id uuid NOT NULL,
        item_id uuid NOT NULL,
        kind varchar(16) NOT NULL,
        quantity integer NOT NULL,
        reference varchar(64),
        actor_id uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX idx_movements_item ON stock_movements (tenant_id, item_id, created_at)`);
    await queryRunner.query(`
      CREATE TABLE processed_events (
        event_id varchar(64) NOT NULL,
        source varchar(32) NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (event_id, source)
      )`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE processed_events`);
    await queryRunner.query(`DROP TABLE stock_movements`);
    await queryRunner.query(`DROP TABLE stock_levels`);
    await queryRunner.query(`DROP TABLE items`);
    await queryRunner.query(`DROP TABLE warehouses`);
  }
}
