const express = require('express');

class HostServer {
  static getInstance() {
    if (!HostServer.instance) HostServer.instance = new HostServer();
    return HostServer.instance;
  }

  constructor() {
    this.app = express();
  }
}

module.exports = { HostServer };
