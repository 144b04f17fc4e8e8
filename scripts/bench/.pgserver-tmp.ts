import { startEmbeddedPostgres } from '@convene/db';
const pg = await startEmbeddedPostgres({ port: 54391, dataDir: '/tmp/convene-bench-pgdata' });
console.log('ready', pg.url);
setInterval(() => {}, 1 << 30);
