class AuditService {
  async record(action, id) {
    console.log(action, id); // reach: request
  }
}

module.exports = AuditService;
