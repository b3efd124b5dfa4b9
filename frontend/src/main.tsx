// Entry point: wire the store, the connection and the view together.

import { render } from 'preact';
import { actions } from './actions';
import { App } from './components/App';
import { Connection, socketUrl } from './connection';
import { store } from './store';
import { windows } from './windows';

const connection = new Connection(socketUrl(location), store, location.search.slice(1), windows);
actions.send = (msg) => connection.send(msg);
windows.send = (msg) => connection.send(msg);
actions.tree = () => store.state.tree;

const mount = document.getElementById('bk-root') ?? document.body;
render(<App store={store} />, mount);
connection.start();
