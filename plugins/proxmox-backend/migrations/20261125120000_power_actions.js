// @ts-check

/**
 * Every power action asked of a Proxmox guest through the portal: who asked,
 * what, when, the Proxmox task (UPID) and how it ended.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('proxmox_power_actions', table => {
    table.comment('Power actions on Proxmox guests, one row per request');
    table.bigIncrements('id').primary();
    table.string('instance', 63).notNullable();
    table.string('node', 255).notNullable();
    table.integer('vmid').notNullable();
    table.string('guest_type', 8).notNullable().comment('qemu or lxc');
    table
      .string('action', 16)
      .notNullable()
      .comment('start, shutdown, stop or reboot');
    table
      .string('actor', 255)
      .notNullable()
      .comment('entity ref of the user who asked');
    table.dateTime('requested_at').notNullable();
    table
      .string('upid', 255)
      .nullable()
      .comment('the Proxmox task, once it was created');
    table.string('result', 16).notNullable().comment('running, ok or failed');
    table
      .text('message')
      .nullable()
      .comment('task exit status, or why it never started');
    table.dateTime('finished_at').nullable();
    table.index(['instance', 'vmid'], 'proxmox_power_actions_guest_idx');
    table.index(['upid'], 'proxmox_power_actions_upid_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('proxmox_power_actions');
};
