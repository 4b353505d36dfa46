const { Server } = require('socket.io');
const axios = require('axios');
const mysql = require('mysql2');

function attach(httpServer) {
  const io = new Server(httpServer);
  io.on('connection', (socket) => {
    socket.on('lookup', async (symbol, callback) => {
      callback(await quote(symbol));
    });
  });
  return io;
}

async function quote(symbol) {
  const { data } = await axios.get(`https://quotes.example.com/${symbol}`);
  return data;
}

// a database pool's `connection` event hands its own connection, not a client's
const pool = mysql.createPool({ host: 'db' });
pool.on('connection', (connection) => {
  connection.query('SET SESSION sql_mode = "STRICT_ALL_TABLES"');
  warm();
});

async function warm() {
  await axios.get('https://cache.example.com/warm');
}

module.exports = { attach };
