import { FleetSimulator } from '../src/core/simulator/fleet-simulator';
import ssh2 from 'ssh2';
const sim = await new FleetSimulator([{ ip: '127.50.0.1', ssh_port: 2222, tcp_port: 2222, behaviour: 'healthy' }]).start();
const c = new ssh2.Client();
c.on('error', (e) => console.log('client error', e.message));
c.on('ready', () => { console.log('ready'); c.exec('/bin/sh', (err, ch) => { console.log('exec cb', err?.message); ch.stderr.on('data', d => console.log('stderr', String(d))); ch.on('close', () => { console.log('closed'); c.end(); void sim.stop(); }); }); });
c.connect({ host: '127.50.0.1', port: 2222, username: 'demo', debug: (m) => console.log(m.slice(0,120)) , readyTimeout: 5000});
