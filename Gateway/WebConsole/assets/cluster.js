// Cluster (admin): silos with their status and active grains, catalog shards with their item counts.
import { call } from './api.js';
import { h, table, show } from './dom.js';
import { bars } from './charts.js';

export function render(container, session) {
  const view = h('section', { 'aria-label': 'Cluster' });

  async function refresh() {
    try {
      const cluster = await call('/admin/cluster');
      const most = Math.max(1, ...cluster.shards.map(shard => shard.activeItems));
      show(view,
        table('Silos', ['Silo', 'Address', 'Status', 'Started', 'Active grains', 'By type'],
          cluster.silos.map(silo => [silo.name, silo.address, silo.status, new Date(silo.startedAt).toLocaleString(), silo.activeGrains,
            Object.entries(silo.grainTypes).map(([type, count]) => `${type} ${count}`).join(', ')])),
        h('h3', {}, 'Catalog shards'),
        bars('Active items per shard', ['items'], cluster.shards.map(shard => ({
          name: `shard ${shard.shard}`,
          values: [shard.activeItems],
          texts: [`${shard.activeItems} items, ${shard.categories} categories`],
          label: `shard ${shard.shard}: ${shard.activeItems} active items in ${shard.categories} categories`,
        })), most));
    } catch (error) { session.fail(error); }
  }

  show(container, h('h2', {}, 'Cluster'), h('button', { type: 'button', onclick: refresh }, 'Refresh'), view);
  refresh();
}
