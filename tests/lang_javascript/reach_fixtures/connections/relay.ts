import { WebSocketServer, WebSocket } from 'ws';
import axios from 'axios';

const wss = new WebSocketServer({ port: 8081 });

function onClient(ws: WebSocket) {
  ws.on('message', async (raw) => {
    const { data } = await axios.post('https://relay.example.com/forward', JSON.parse(String(raw)));
    ws.send(JSON.stringify(data));
  });
}

wss.on('connection', onClient);
