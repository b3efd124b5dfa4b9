// Entry point: wire the store, the connection and the view together.

import { render } from 'preact';
import { setSender } from './actions';
import { App } from './components/App';
import { Connection, socketUrl } from './connection';
import { store } from './store';

const connection = new Connection(socketUrl(location), store, location.search.slice(1));
setSender((msg) => connection.send(msg));

const mount = document.getElementById('bk-root') ?? document.body;
render(<App store={store} />, mount);
connection.start();
